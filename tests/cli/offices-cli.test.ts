import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { corpusFile } from '../support/corpus';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../support/databases';
import { buildCli, runCli } from '../support/cli';


const cli = (args: string[], env: Record<string, string>) => runCli(args, { LOAD_SAMPLE: '0', ...env });

function databaseUrl(db: TestDatabase): string {
  return db.config.type === 'sqlite' ? `sqlite:${db.config.path}` : db.config.url;
}

const DISTRICT_CSV = [
  'code,name,parentCode,kind,aliases',
  'dl-zhen,大五里镇,lc-qu,town,大五里镇人民政府',
  'lc-qu,临川区人民政府,,government,临川区',
  'lc-qu-sjj,临川区审计局,lc-qu,department,',
].join('\n');

beforeAll(async () => {
  await buildCli();
}, 180000);

for (const kind of testDatabaseKinds()) {
  describe(`disclosure-graph offices [${kind}]`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-offices-'));
    let db: TestDatabase;
    let env: Record<string, string>;
    beforeAll(async () => {
      db = await createTestDatabase(kind, { migrate: false });
      env = { DATABASE_URL: databaseUrl(db) };
    });
    afterAll(async () => {
      await db.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('imports a district from CSV (children before their parent in the file), then finds it unchanged', async () => {
      const file = path.join(dir, 'offices.csv');
      fs.writeFileSync(file, DISTRICT_CSV);
      const first = await cli(['offices', 'import', file], env);
      expect(first.stderr).not.toMatch(/error/i);
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('created 3, updated 0, unchanged 0');
      const again = await cli(['offices', 'import', file, '--json'], env);
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout).rows.map((r: { outcome: string }) => r.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);

      const listed = JSON.parse((await cli(['offices', 'list', '--under', 'lc-qu', '--json'], env)).stdout);
      expect(listed).toEqual([
        { code: 'lc-qu', name: '临川区人民政府', kind: 'government', parentCode: null, aliases: ['临川区'] },
        expect.objectContaining({ parentCode: 'lc-qu' }),
        expect.objectContaining({ parentCode: 'lc-qu' }),
      ]);
      expect(listed.map((o: { code: string }) => o.code).sort()).toEqual(['dl-zhen', 'lc-qu', 'lc-qu-sjj']);
    });

    it('refuses a file with a bad row, naming line and column, and stores none of it', async () => {
      const file = path.join(dir, 'bad.csv');
      fs.writeFileSync(file, ['code,name,parentCode,kind', 'new-one,新机关,lc-qu,department', 'new-two,另一机关,nowhere,department'].join('\n'));
      const result = await cli(['offices', 'import', file], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('line 3, parentCode');
      expect(result.stderr).toContain('nothing was stored');
      const listed = JSON.parse((await cli(['offices', 'list', '--json'], env)).stdout) as { code: string }[];
      expect(listed.map((o) => o.code)).not.toContain('new-one');
    });

    it('adds one office, and updates it in place when added again with a new name and an alias', async () => {
      expect((await cli(['offices', 'add', '--code', 'lc-qu-tjj', '--name', '临川区统计局', '--kind', 'department', '--parent', 'lc-qu'], env)).stdout).toContain('created');
      const renamed = await cli(['offices', 'add', '--code', 'lc-qu-tjj', '--name', '临川区统计中心', '--kind', 'DEPARTMENT', '--parent', 'lc-qu', '--alias', '临川区统计局'], env);
      expect(renamed.stdout).toContain('updated');
      const listed = JSON.parse((await cli(['offices', 'list', '--json'], env)).stdout) as { code: string; name: string; aliases: string[] }[];
      expect(listed.find((o) => o.code === 'lc-qu-tjj')).toMatchObject({ name: '临川区统计中心', aliases: ['临川区统计局'] });
      const bad = await cli(['offices', 'add', '--code', 'x', '--name', '某', '--kind', 'ministry'], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('--kind');
    });

    it('lands a report on the office its title names through an alias', async () => {
      // The report's title says 大五里镇 …; register the office under a new name with the old one as alias.
      await cli(['offices', 'add', '--code', 'dl-zhen', '--name', '大五里街道', '--kind', 'sub_district', '--parent', 'lc-qu', '--alias', '大五里镇'], env);
      const imported = await cli(['import', corpusFile('2020_dawuli-zhen.txt')], env);
      expect(imported.stdout).toMatch(/imported 1/);
      expect(imported.code).toBe(0);
      const again = await cli(['offices', 'list', '--under', 'dl-zhen', '--json'], env);
      expect(JSON.parse(again.stdout)[0]).toMatchObject({ code: 'dl-zhen', name: '大五里街道', aliases: ['大五里镇'] });
    });
  });
}
