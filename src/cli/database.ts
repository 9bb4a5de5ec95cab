import type { DataSource } from 'typeorm';
import { loadConfig } from '../config/config';
import { createDataSource, migrate } from '../db/data-source';
import { createServices, type Services } from '../server/context';

/** The database named by DATABASE_URL, migrated, with the services a command uses; closed after `work`. */
export async function withDatabase<T>(work: (services: Services, dataSource: DataSource) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const dataSource = await createDataSource(config.database);
  try {
    await migrate(dataSource);
    return await work(createServices(dataSource), dataSource);
  } finally {
    await dataSource.destroy();
  }
}
