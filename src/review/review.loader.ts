import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { batchOptions, groupByKey } from '../common/batching';
import { MetricCorrection, TableAcceptance } from './metric-correction.entity';

export function createReviewLoaders(dataSource: DataSource) {
  return {
    /** Newest first. */
    correctionsByReportId: new DataLoader<number, MetricCorrection[]>(async (reportIds) => {
      const rows = await dataSource.getRepository(MetricCorrection).find({ where: { reportId: In([...reportIds]) }, order: { id: 'DESC' } });
      return groupByKey(reportIds, rows, (r) => r.reportId);
    }, batchOptions()),
    tableAcceptancesByReportId: new DataLoader<number, TableAcceptance[]>(async (reportIds) => {
      const rows = await dataSource.getRepository(TableAcceptance).find({ where: { reportId: In([...reportIds]) }, order: { tableName: 'ASC' } });
      return groupByKey(reportIds, rows, (r) => r.reportId);
    }, batchOptions()),
  };
}
