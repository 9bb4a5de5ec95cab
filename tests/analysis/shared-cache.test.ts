/**
 * Two servers on one database and one Redis, as two replicas behind a load balancer: whatever
 * one of them (or the CLI) writes — a report, a new office, a moved office, a bulk import — the
 * other must not keep serving comparisons from before the write.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { MemoryAnalysisCache } from '../../src/analysis/cache';
import { startTestApp, type TestApp } from '../support/app';
import { corpusFile } from '../support/corpus';
import { describeEachDatabase } from '../support/databases';
import { UPSERT_OFFICE, UPSERT_REPORT, consistentReport2021, createOffice } from '../support/fixtures';
import { REDIS_TEST_URL, describeWithRedis, dropRedisPrefix, testRedisPrefix } from '../support/redis';
import { buildCli } from '../support/cli';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

const COMPARE = `query($under: String!, $year: Int!) {
  compareOffices(under: $under, year: $year, metrics: ["applications.received.total"], missingFirst: 50) {
    officeCount reportedCount missing { code } groups { metric sum }
  } }`;
const ROLLUP = `query($under: String!, $year: Int!) {
  rollup(under: $under, years: [$year], metrics: ["applications.received.total"], groupBy: KIND) { groups { group officeCount reportedCount values { total } } } }`;

interface Comparison {
  officeCount: number;
  reportedCount: number;
  missing: { code: string }[];
  groups: { metric: string; sum: number | null }[];
}

describe('the in-process cache after a subtree moves', () => {
  it('drops entries filed under the old paths', async () => {
    const cache = new MemoryAnalysisCache();
    let n = 0;
    const compute = async () => ++n;
    await cache.remember('under-b', ['/1/5/'], compute);
    await cache.remember('under-b-child', ['/1/5/7/'], compute);
    await cache.remember('elsewhere', ['/1/9/'], compute);
    await cache.invalidateSubtree('/1/5/');
    expect(await cache.remember('under-b', ['/1/5/'], compute)).toBe(4);
    expect(await cache.remember('under-b-child', ['/1/5/7/'], compute)).toBe(5);
    expect(await cache.remember('elsewhere', ['/1/9/'], compute)).toBe(3);
  });
});

describeEachDatabase('two servers sharing one Redis cache', (db) => {
  describeWithRedis('every write path', () => {
    const prefix = testRedisPrefix('shared-cache');
    let a: TestApp;
    let b: TestApp;

    const compare = async (app: TestApp, under: string, year = 2022): Promise<Comparison> => {
      const res = await app.gql<{ compareOffices: Comparison }>(COMPARE, { under, year });
      expect(res.errors).toBeUndefined();
      return res.data!.compareOffices;
    };

    beforeAll(async () => {
      // The CLI runs built, as users run it.
      await buildCli();
      const shared = { redisUrl: REDIS_TEST_URL, cachePrefix: prefix };
      a = await startTestApp(db(), shared);
      b = await startTestApp(db(), shared);
      await createOffice(a, 'demo-r', '示例区', null, 'GOVERNMENT');
      await createOffice(a, 'demo-r-a', '示例甲街道', 'demo-r');
      await createOffice(a, 'demo-r-b', '示例乙街道', 'demo-r');
      await createOffice(a, 'demo-s', '示例县', null, 'GOVERNMENT');
      expect((await a.gql(UPSERT_REPORT, { input: consistentReport2021('demo-r-a', 2022, 4) })).errors).toBeUndefined();
    }, 240_000);
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await dropRedisPrefix(prefix);
    });

    it('serves the second server from the shared cache, and drops it when the first writes a report', async () => {
      const first = await compare(b, 'demo-r');
      // Offices under the district (not itself): 甲 and 乙.
      expect(first).toMatchObject({ officeCount: 2, reportedCount: 1 });
      // The first server is served what the second one computed.
      const hits = a.app.services.analysis.cache.stats.hits;
      expect(await compare(a, 'demo-r')).toEqual(first);
      expect(a.app.services.analysis.cache.stats.hits).toBe(hits + 1);
      expect((await a.gql(UPSERT_REPORT, { input: consistentReport2021('demo-r-b', 2022, 6) })).errors).toBeUndefined();
      expect(await compare(b, 'demo-r')).toMatchObject({ officeCount: 2, reportedCount: 2, groups: [{ sum: 10 }] });
    });

    it('counts an office created on the other server at once', async () => {
      expect(await compare(b, 'demo-r')).toMatchObject({ officeCount: 2 });
      await createOffice(a, 'demo-r-c', '示例丙街道', 'demo-r');
      const after = await compare(b, 'demo-r');
      expect(after.officeCount).toBe(3);
      expect(after.missing.map((m) => m.code)).toContain('demo-r-c');
    });

    it('follows an office moved on the other server: old scope, new scope and the moved subtree itself', async () => {
      await createOffice(a, 'demo-r-b-1', '示例乙一社区', 'demo-r-b', 'OTHER');
      // Cached on B before the move: the old district, the new one, and a rollup of the subtree that moves.
      expect((await compare(b, 'demo-r')).officeCount).toBe(4);
      expect((await compare(b, 'demo-s')).officeCount).toBe(0);
      const rollupBefore = await b.gql<any>(ROLLUP, { under: 'demo-r-b', year: 2023 });
      expect(rollupBefore.data.rollup.groups.reduce((n: number, g: any) => n + g.reportedCount, 0)).toBe(0);

      const moved = await a.gql(UPSERT_OFFICE, { input: { code: 'demo-r-b', name: '示例乙街道', kind: 'SUB_DISTRICT', parentCode: 'demo-s' } });
      expect(moved.errors).toBeUndefined();
      // 乙 and its 乙一 went from 示例区 to 示例县.
      expect((await compare(b, 'demo-r')).officeCount).toBe(2);
      expect((await compare(b, 'demo-s')).officeCount).toBe(2);

      // A report in the moved subtree, under its new path, must reach the entry cached under the old one.
      expect((await a.gql(UPSERT_REPORT, { input: consistentReport2021('demo-r-b-1', 2023, 3) })).errors).toBeUndefined();
      const rollupAfter = await b.gql<any>(ROLLUP, { under: 'demo-r-b', year: 2023 });
      expect(rollupAfter.errors).toBeUndefined();
      expect(rollupAfter.data.rollup.groups.reduce((n: number, g: any) => n + g.reportedCount, 0)).toBe(1);
    });

    const cliEnv = () => {
      const database = db().config;
      return {
        ...process.env,
        DATABASE_URL: database.type === 'sqlite' ? `sqlite:${database.path}` : database.url,
        REDIS_URL: REDIS_TEST_URL,
        ANALYSIS_CACHE_PREFIX: prefix,
        LOAD_SAMPLE: '0',
        LOG_LEVEL: 'silent',
      };
    };
    const cli = (args: string[]) => run(process.execPath, [path.join(ROOT, 'bin', 'disclosure-graph.js'), ...args], { cwd: ROOT, env: cliEnv() });

    it('counts an office the CLI adds', async () => {
      const before = (await compare(b, 'demo-r')).officeCount;
      await cli(['offices', 'add', '--code', 'demo-r-d', '--name', '示例丁街道', '--kind', 'sub_district', '--parent', 'demo-r']);
      expect((await compare(b, 'demo-r')).officeCount).toBe(before + 1);
    });

    it('drops what a bulk import from the CLI made stale', async () => {
      expect(await compare(b, 'demo-r', 2020)).toMatchObject({ reportedCount: 0 });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-shared-cache-'));
      try {
        const file = path.join(dir, 'jingyuan.txt');
        fs.copyFileSync(corpusFile('2020_weihai-huancui-jingyuan.txt'), file);
        const { stdout } = await cli(['import', file, '--office', 'demo-r-a', '--json']);
        expect(JSON.parse(stdout).summary).toMatchObject({ IMPORTED: 1, FAILED: 0 });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      expect(await compare(b, 'demo-r', 2020)).toMatchObject({ reportedCount: 1 });
    });
  });
});
