import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { IsNull, type DataSource } from 'typeorm';
import { loadConfig } from '../../config/config';
import { Office } from '../../offices/office.entity';
import { createAnalysisCache } from '../cache';
import { createDataSource, migrate } from '../../db/data-source';
import { generateDemoData } from './generator';

function yearRange(text: string): number[] {
  const m = /^(\d{4})(?:-(\d{4}))?$/.exec(text);
  if (!m) throw new Error(`--years: use 2019-2025 or 2022, not ${text}`);
  const from = Number(m[1]);
  const to = Number(m[2] ?? m[1]);
  if (to < from || to - from > 30) throw new Error(`--years: ${text} is not a range of at most 30 years`);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Servers sharing a Redis cache must not keep serving the province as it was before the load. */
async function dropCachedComparisons(dataSource: DataSource, redisUrl: string | undefined, prefix: string | undefined): Promise<void> {
  if (!redisUrl) return;
  const cache = await createAnalysisCache(redisUrl, prefix);
  try {
    for (const root of await dataSource.getRepository(Office).findBy({ parentId: IsNull() })) {
      await cache.invalidate(root.path);
      await cache.invalidateSubtree(root.path);
    }
  } finally {
    await cache.close();
  }
}

export function registerDemoCommands(program: Command): void {
  program
    .command('demo-data')
    .description('load a fictional province (虚构省, codes demo-…) for demos and benchmarks into DATABASE_URL')
    .option('--offices <n>', 'how many offices', (v) => Number(v), 200)
    .option('--years <range>', 'years reported on', '2019-2025')
    .option('--seed <n>', 'random seed', (v) => Number(v), 20261125)
    .action(async (options: { offices: number; years: string; seed: number }) => {
      if (!Number.isInteger(options.offices) || options.offices < 1) throw new Error(`--offices: a positive number, not ${options.offices}`);
      const years = yearRange(options.years);
      const config = loadConfig();
      const dataSource = await createDataSource(config.database);
      await migrate(dataSource);
      const bar = new SingleBar({ format: '演示数据 demo data [{bar}] {value}/{total} reports', stream: process.stderr }, Presets.shades_classic);
      bar.start(options.offices * years.length, 0);
      try {
        const result = await generateDemoData(dataSource, { offices: options.offices, years, seed: options.seed, onProgress: (done) => bar.update(done) });
        bar.stop();
        await dropCachedComparisons(dataSource, config.redisUrl, config.cachePrefix);
        console.log(`${result.offices} offices, ${result.reports} reports in ${result.seconds.toFixed(1)} s (${(result.reports / result.seconds).toFixed(0)} reports/s)`);
      } finally {
        bar.stop();
        await dataSource.destroy();
      }
    });
}
