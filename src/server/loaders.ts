import type { DataSource } from 'typeorm';
import { createChannelLoaders } from '../channels/channel.loader';
import { createOfficeLoaders } from '../offices/office.loader';
import { createReportLoaders } from '../reports/report.loader';
import { createRevisionLoaders } from '../reports/revision.loader';
import { createReviewLoaders } from '../review/review.loader';
import { createReportingYearLoaders } from '../years/reporting-year.loader';

/** A fresh set per request: DataLoader caches must never outlive the request that filled them. */
export function createLoaders(dataSource: DataSource) {
  return {
    ...createOfficeLoaders(dataSource),
    ...createReportLoaders(dataSource),
    ...createRevisionLoaders(dataSource),
    ...createChannelLoaders(dataSource),
    ...createReportingYearLoaders(dataSource),
    ...createReviewLoaders(dataSource),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
