import type { DataSource } from 'typeorm';
import { createAnalysisCache, type AnalysisCache } from '../analysis/cache';
import { loadConfig } from '../config/config';
import { createDataSource, migrate } from '../db/data-source';
import { createServices, type Services } from '../server/context';

/** The database named by DATABASE_URL, migrated, with the services a command uses; closed after `work`. */
export async function withDatabase<T>(work: (services: Services, dataSource: DataSource) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const dataSource = await createDataSource(config.database);
  let cache: AnalysisCache | null = null;
  try {
    await migrate(dataSource);
    // The servers' shared cache (Redis with REDIS_URL): offices a command writes drop their stale comparisons.
    cache = await createAnalysisCache(config.redisUrl, config.cachePrefix, config.analysisCache !== false);
    return await work(createServices(dataSource, cache), dataSource);
  } finally {
    await cache?.close();
    await dataSource.destroy();
  }
}
