/**
 * "Import never makes things worse", through the GraphQL API and the bulk import: a page whose
 * tables are images, a stray text that only mentions a year, a text with the prose but no tables,
 * an excerpt cut short — none of them replaces a stored report that has its numbers. Each is
 * REFUSED with a code naming why and the database is left exactly as it was; `force: true` stores
 * it anyway.
 */
import { Role } from '../../src/auth/roles';
import { startTestApp, type TestApp } from '../support/app';
import { readCorpus } from '../support/corpus';
import { describeEachDatabase } from '../support/databases';
import { databaseSnapshot } from '../support/db-snapshot';
import { createJingyuanOffices } from '../support/fixtures';
import { imageTablePage, proseOnly, cutInTable3, JUNK_WITH_YEAR } from './never-worse.fixtures';

const JINGYUAN = readCorpus('2020_weihai-huancui-jingyuan.txt');
const CODE = 'weihai-huancui-jingyuan';

const IMPORT = `mutation($text: String!, $officeCode: String, $force: Boolean!) {
  importReport(text: $text, officeCode: $officeCode, force: $force) {
    status readingStatus forced metricsRead
    problem { code message field }
    revision { number readingStatus }
    warnings { code }
  } }`;

type Result = {
  status: string;
  readingStatus: string | null;
  forced: boolean;
  metricsRead: number;
  problem: { code: string; message: string; field: string | null } | null;
  revision: { number: number; readingStatus: string | null } | null;
  warnings: { code: string }[];
};

describeEachDatabase('imports never make a stored report worse', (db) => {
  let app: TestApp;

  const importText = async (text: string, force = false, officeCode: string | null = CODE): Promise<Result> => {
    const res = await app.gql<{ importReport: Result }>(IMPORT, { text, officeCode, force });
    expect(res.errors).toBeUndefined();
    return res.data!.importReport;
  };
  const tableValues = async () => {
    const res = await app.gql<any>(`{ report(officeCode: "${CODE}", year: 2020) { readingStatus metrics(keys: ["applications.received.total", "proactive.rules.made", "proactive.items_total"]) { key value } } }`);
    return res.data.report;
  };

  beforeAll(async () => {
    app = await startTestApp(db());
    await createJingyuanOffices(app);
    expect((await importText(JINGYUAN, false, null)).status).toBe('IMPORTED');
  });
  afterAll(() => app.close());

  it.each([
    ['an HTML page whose tables are images', () => imageTablePage(JINGYUAN), 'UNREADABLE', 'UNREADABLE'],
    // No table value at all: the parser calls the reading unreadable, which is refused first.
    ['a stray text that only mentions a year', () => JUNK_WITH_YEAR, 'UNREADABLE', null],
    // No table value read: the parser's reading status is unreadable, refused before the count rules.
    ['the prose of the report without its tables', () => proseOnly(JINGYUAN), 'UNREADABLE', null],
    ['an excerpt cut short inside table 三', () => cutInTable3(JINGYUAN), 'FEWER_VALUES', 'PARTIAL'],
  ])('refuses %s, changing nothing and naming why', async (_name, text, code, readingStatus) => {
    const before = await databaseSnapshot(db().dataSource);
    const result = await importText(text());
    expect(result).toMatchObject({ status: 'REFUSED', forced: false, revision: null, problem: { code, field: 'text' } });
    if (readingStatus) expect(result.readingStatus).toBe(readingStatus);
    // The message says what happened and how to override, in Chinese and English.
    expect(result.problem!.message).toMatch(/未导入/);
    expect(result.problem!.message).toMatch(/--force/);
    expect(result.problem!.message).toMatch(/nothing was stored/);
    expect(await databaseSnapshot(db().dataSource)).toEqual(before);
    expect(await tableValues()).toMatchObject({ metrics: [{ value: 0 }, { value: 0 }, { value: 855 }] });
  });

  it('refuses a page of images even for an office with no report yet', async () => {
    await app.gql(`mutation { upsertOffice(input: { code: "demo-nw", name: "示例新街道", kind: SUB_DISTRICT, parentCode: "weihai-huancui" }) { code } }`);
    const before = await databaseSnapshot(db().dataSource);
    const result = await importText(imageTablePage(JINGYUAN), false, 'demo-nw');
    expect(result).toMatchObject({ status: 'REFUSED', problem: { code: 'UNREADABLE' }, readingStatus: 'UNREADABLE' });
    expect(await databaseSnapshot(db().dataSource)).toEqual(before);
  });

  it('stores what it refused when forced, marks it so in the result and the audit log, and takes the same text again as unchanged', async () => {
    const forced = await importText(imageTablePage(JINGYUAN), true);
    expect(forced).toMatchObject({ status: 'REVISED', forced: true, problem: null, readingStatus: 'UNREADABLE', revision: { number: 2, readingStatus: 'UNREADABLE' } });
    const report = await tableValues();
    expect(report.readingStatus).toBe('UNREADABLE');
    // What was forced is what is stored: the tables' numbers are gone, the prose figure stays.
    expect(report.metrics).toEqual([
      { key: 'applications.received.total', value: null },
      { key: 'proactive.rules.made', value: null },
      { key: 'proactive.items_total', value: 855 },
    ]);
    const audit = await app.gql<any>(`{ auditLog(targetType: REPORT, target: "${CODE}/2020", first: 1) { edges { node { action } } } }`);
    expect(audit.data.auditLog.edges[0].node.action).toBe('report.import.revised.forced');

    expect(await importText(imageTablePage(JINGYUAN))).toMatchObject({ status: 'UNCHANGED', forced: false, problem: null });
    // The full text again is an improvement, so it needs no force.
    expect(await importText(JINGYUAN)).toMatchObject({ status: 'REVISED', forced: false, revision: { number: 3 } });
    expect(await tableValues()).toMatchObject({ metrics: [{ value: 0 }, { value: 0 }, { value: 855 }] });
  });

  it('in a bulk import refuses the bad file alone and stores the others', async () => {
    const admin = { role: Role.ADMIN, subject: 'test:admin' };
    await app.gql(`mutation { upsertOffice(input: { code: "demo-nw2", name: "示例另一街道", kind: SUB_DISTRICT, parentCode: "weihai-huancui" }) { code } }`);
    const outcomes = await app.app.services.imports.importMany(
      [
        { text: imageTablePage(JINGYUAN), filename: 'jingyuan.html' },
        { text: JINGYUAN.replace('威海市环翠区鲸园街道办事处2020年', '示例另一街道2020年'), filename: 'other.txt' },
      ],
      { viewer: admin, officeCode: null },
    );
    expect(outcomes.map((o) => [o.status, o.problem?.code ?? null, o.readingStatus])).toEqual([
      ['REFUSED', 'UNREADABLE', 'unreadable'],
      ['IMPORTED', null, expect.stringMatching(/^(verified|read-with-findings|partial)$/)],
    ]);
    expect(outcomes[0]!.office?.code).toBe(CODE);
    const other = await app.gql<any>(`{ report(officeCode: "demo-nw2", year: 2020) { metrics(keys: ["proactive.items_total"]) { value } } }`);
    expect(other.data.report.metrics[0].value).toBe(855);
  });
});
