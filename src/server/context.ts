import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { ImportService } from '../ingest/import.service';
import { OfficeService } from '../offices/office.service';
import { ReportService } from '../reports/report.service';
import { ReportingYearService } from '../years/reporting-year.service';
import { createLoaders, type Loaders } from './loaders';

/** Stateless services, built once per process and shared by all requests. */
export function createServices(dataSource: DataSource) {
  const offices = new OfficeService(dataSource);
  return {
    offices,
    reports: new ReportService(dataSource, offices),
    years: new ReportingYearService(dataSource),
    imports: new ImportService(dataSource, offices),
  };
}

export type Services = ReturnType<typeof createServices>;

export interface RequestContext {
  readonly dataSource: DataSource;
  readonly services: Services;
  /** Per-request DataLoaders. */
  readonly loaders: Loaders;
  readonly requestId: string;
  readonly log: Logger;
}

export function createRequestContext(dataSource: DataSource, services: Services, log: Logger, requestId: string): RequestContext {
  return { dataSource, services, loaders: createLoaders(dataSource), requestId, log: log.child({ requestId }) };
}
