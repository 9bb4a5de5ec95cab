import DataLoader from 'dataloader';
import { batchOptions } from '../common/batching';
import { In, type DataSource } from 'typeorm';
import { ReportingYear } from './reporting-year.entity';
import { reportingYearFor } from './reporting-year.service';

export function createReportingYearLoaders(dataSource: DataSource) {
  return {
    /** A year without a row of its own still has its format and deadline. */
    reportingYear: new DataLoader<number, ReportingYear>(async (years) => {
      const rows = await dataSource.getRepository(ReportingYear).findBy({ year: In([...years]) });
      const byYear = new Map(rows.map((y) => [y.year, y]));
      return years.map((y) => byYear.get(y) ?? reportingYearFor(y));
    }, batchOptions()),
  };
}
