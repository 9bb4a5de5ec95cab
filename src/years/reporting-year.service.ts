import type { DataSource, EntityManager } from 'typeorm';
import { templateFormatForYear } from '../metrics/template';
import { ReportingYear } from './reporting-year.entity';

/** Reports on `year` are due by 31 January of the following year (条例 第五十条). */
export function deadlineFor(year: number): string {
  return `${year + 1}-01-31`;
}

export function reportingYearFor(year: number): ReportingYear {
  return Object.assign(new ReportingYear(), { year, templateFormat: templateFormatForYear(year), deadline: deadlineFor(year) });
}

/** Creates the year's row if missing; safe under concurrent writers (insert-or-ignore). */
export async function ensureReportingYear(manager: EntityManager, year: number): Promise<void> {
  await manager.createQueryBuilder().insert().into(ReportingYear).values(reportingYearFor(year)).orIgnore().execute();
}

export class ReportingYearService {
  constructor(private readonly dataSource: DataSource) {}

  list(): Promise<ReportingYear[]> {
    return this.dataSource.getRepository(ReportingYear).find({ order: { year: 'ASC' } });
  }
}
