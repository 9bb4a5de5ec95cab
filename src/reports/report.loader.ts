import DataLoader from 'dataloader';
import { batchOptions, groupByKey } from '../common/batching';
import { In, type DataSource } from 'typeorm';
import { MetricValue } from '../metrics/metric-value.entity';
import { AnnualReport } from './annual-report.entity';
import { Finding } from './finding.entity';

/** `${officeId}:${year}` — a primitive key, so repeated loads are deduplicated. */
export const officeYearKey = (officeId: number, year: number) => `${officeId}:${year}`;

export function createReportLoaders(dataSource: DataSource) {
  return {
    reportsByOfficeId: new DataLoader<number, AnnualReport[]>(async (officeIds) => {
      const rows = await dataSource.getRepository(AnnualReport).find({ where: { officeId: In([...officeIds]) }, order: { year: 'ASC' } });
      return groupByKey(officeIds, rows, (r) => r.officeId);
    }, batchOptions()),
    reportByOfficeYear: new DataLoader<string, AnnualReport | null>(async (keys) => {
      const pairs = keys.map((k) => k.split(':').map(Number) as [number, number]);
      const officeIds = [...new Set(pairs.map((p) => p[0]))];
      const years = [...new Set(pairs.map((p) => p[1]))];
      const rows = await dataSource.getRepository(AnnualReport).findBy({ officeId: In(officeIds), year: In(years) });
      const byKey = new Map(rows.map((r) => [officeYearKey(r.officeId, r.year), r]));
      return keys.map((k) => byKey.get(k) ?? null);
    }, batchOptions()),
    metricsByReportId: new DataLoader<number, MetricValue[]>(async (reportIds) => {
      const rows = await dataSource.getRepository(MetricValue).findBy({ reportId: In([...reportIds]) });
      return groupByKey(reportIds, rows, (r) => r.reportId);
    }, batchOptions()),
    findingsByReportId: new DataLoader<number, Finding[]>(async (reportIds) => {
      const rows = await dataSource.getRepository(Finding).find({ where: { reportId: In([...reportIds]) }, order: { id: 'ASC' } });
      return groupByKey(reportIds, rows, (r) => r.reportId);
    }, batchOptions()),
  };
}
