import { describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/app';
import { UPSERT_REPORT, consistentReport2021, createOffice } from '../support/fixtures';

async function tableCounts(app: TestApp): Promise<Record<string, number>> {
  const ds = app.app.dataSource;
  const out: Record<string, number> = {};
  for (const table of ['annual_reports', 'metric_values', 'report_findings', 'disclosure_channels', 'channel_activities', 'reporting_years']) {
    const rows = await ds.query(`SELECT COUNT(*) AS n FROM ${table}`);
    out[table] = Number(rows[0].n);
  }
  return out;
}

describeEachDatabase('upsertReport and the report views', (db) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(db());
    await createOffice(app, 'demo-city', '示例市', null, 'GOVERNMENT');
    await createOffice(app, 'demo-street', '示例街道办事处', 'demo-city');
  });
  afterAll(() => app.close());

  it('writes a report and serves its tables, metrics and channels', async () => {
    const res = await app.gql<{ upsertReport: { year: number; templateFormat: string; findings: unknown[] } }>(UPSERT_REPORT, {
      input: consistentReport2021('demo-street'),
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.upsertReport).toMatchObject({ year: 2022, templateFormat: 'FORMAT_2021', findings: [] });

    const read = await app.gql<{ report: Record<string, any> }>(`{
      report(officeCode: "demo-street", year: 2022) {
        sections { overview problems improvements otherMatters }
        reportingYear { year templateFormat deadline }
        proactiveDisclosure { item label cells { measure value } }
        applications { columns { applicant label } rows { outcome label values } }
        reviewsAndLitigation { group label total upheld }
        metrics(keys: ["channels.wechat.items", "applications.refused.total", "applications.grant_rate", "channels.website.items_share"]) { key value label }
      } }`);
    expect(read.errors).toBeUndefined();
    const report = read.data!.report;
    expect(report.sections).toEqual({ overview: '示例概述。', problems: '示例问题。', improvements: '示例改进。', otherMatters: '无。' });
    expect(report.reportingYear).toEqual({ year: 2022, templateFormat: 'FORMAT_2021', deadline: '2023-01-31' });
    // 2021 format: table 二 has no 其他对外管理服务事项 or 政府集中采购 rows.
    expect(report.proactiveDisclosure.map((r: { item: string }) => r.item)).toEqual(['RULES', 'NORMATIVE_DOCUMENTS', 'LICENSING', 'PENALTIES', 'COERCION', 'FEES']);
    expect(report.proactiveDisclosure[5].cells).toEqual([{ measure: 'AMOUNT_10K_YUAN', value: 24.5 }]);
    expect(report.proactiveDisclosure[0].label).toBe('规章');
    expect(report.applications.columns.map((c: { label: string }) => c.label)).toEqual(['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计']);
    const received = report.applications.rows.find((r: { outcome: string }) => r.outcome === 'RECEIVED');
    expect(received.values).toEqual([4, null, null, null, null, null, 4]);
    expect(report.applications.rows.some((r: { outcome: string }) => r.outcome === 'OTHER_NO_FEE')).toBe(true);
    expect(report.reviewsAndLitigation[0]).toEqual({ group: 'REVIEW', label: '行政复议', total: 0, upheld: null });
    expect(report.metrics).toEqual([
      { key: 'channels.wechat.items', value: 40, label: '微信公众号·发布信息条数' },
      { key: 'applications.refused.total', value: null, label: expect.stringContaining('不予公开') },
      { key: 'applications.grant_rate', value: 1, label: expect.stringContaining('公开率') },
      { key: 'channels.website.items_share', value: 0.6, label: expect.any(String) },
    ]);
  });

  it('records findings for a report that does not add up, with the numbers on each side', async () => {
    const input = consistentReport2021('demo-street', 2023);
    input.metrics = input.metrics.map((m) => (m.key === 'applications.results_total.total' ? { ...m, value: 3 } : m));
    input.metrics.push({ key: 'applications.carried_forward.natural_person', value: -1 });
    const res = await app.gql<{ upsertReport: { findings: { code: string; scope: string; left: number; right: number; difference: number }[] } }>(UPSERT_REPORT, { input });
    expect(res.errors).toBeUndefined();
    const findings = res.data!.upsertReport.findings;
    expect(findings).toEqual(
      expect.arrayContaining([
        { code: 'T3_BALANCE', scope: 'total', left: 4, right: 3, difference: 1 },
        { code: 'T3_RESULTS_SUM', scope: 'total', left: 3, right: 4, difference: -1 },
        { code: 'T3_ROW_SUM', scope: 'results_total', left: 3, right: 4, difference: -1 },
        { code: 'NEGATIVE', scope: 'applications.carried_forward.natural_person', left: -1, right: 0, difference: -1 },
      ]),
    );
  });

  it('replaces the stored report on a second upsert (metrics, channels and findings)', async () => {
    const input = consistentReport2021('demo-street', 2023);
    input.channels = [{ kind: 'WEBSITE', items: 100 }];
    const res = await app.gql<{ upsertReport: { findings: unknown[] } }>(UPSERT_REPORT, { input });
    expect(res.data!.upsertReport.findings).toEqual([]);
    const read = await app.gql<{ report: { channels: { kind: string; items: number }[]; metrics: { key: string; value: number | null }[] } }>(
      `{ report(officeCode: "demo-street", year: 2023) { channels { kind items } metrics(keys: ["channels.wechat.items", "applications.carried_forward.natural_person"]) { key value } } }`,
    );
    expect(read.data!.report.channels).toEqual([{ kind: 'WEBSITE', items: 100 }]);
    expect(read.data!.report.metrics.map((m) => m.value)).toEqual([null, null]);
  });

  it.each([
    ['an unknown metric key', { metrics: [{ key: 'applications.recieved.total', value: 1 }] }, 'input.metrics[0].key', 'unknown metric key "applications.recieved.total"'],
    ['a 2019-only metric in a 2021 report', { metrics: [{ key: 'proactive.procurement.amount', value: 1 }] }, 'input.metrics[0].key', 'not in the 2021 template'],
    ['a fractional count', { metrics: [{ key: 'applications.received.total', value: 1.5 }] }, 'input.metrics[0].value', 'not a whole number'],
    ['a channel figure given as a metric', { metrics: [{ key: 'channels.wechat.items', value: 3 }] }, 'input.metrics[0].key', 'derived from input.channels'],
    ['a duplicated channel', { channels: [{ kind: 'WEBSITE', items: 1 }, { kind: 'WEBSITE', items: 2 }] }, 'input.channels[1]', 'more than once'],
    ['a negative channel count (class-validator)', { channels: [{ kind: 'WEBSITE', items: -5 }] }, 'input.channels.0.items', 'items cannot be negative'],
    ['a date that does not exist', { publishedAt: '2023-02-30' }, 'input.publishedAt', 'not a calendar date'],
  ])('rejects %s with BAD_USER_INPUT naming the field, and changes nothing', async (_name, change, field, problem) => {
    const before = await tableCounts(app);
    const res = await app.gql(UPSERT_REPORT, { input: { ...consistentReport2021('demo-street', 2021), ...change } });
    expect(res.errors).toHaveLength(1);
    const error = res.errors![0]!;
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain(problem);
    const problems = error.extensions?.problems as { field: string; problem: string }[];
    expect(problems.map((p) => p.field.replace(/\[(\d+)\]/g, '.$1'))).toContain(field.replace(/\[(\d+)\]/g, '.$1'));
    expect(await tableCounts(app)).toEqual(before);
  });

  it('rejects an unknown office with NOT_FOUND naming the code and the field, as every lookup of an office code does, and changes nothing', async () => {
    const before = await tableCounts(app);
    const res = await app.gql(UPSERT_REPORT, { input: { ...consistentReport2021('demo-street', 2021), officeCode: 'no-such-office' } });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.message).toContain('no office with code "no-such-office"');
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', what: 'office', key: 'no-such-office', field: 'input.officeCode', problems: [{ field: 'input.officeCode' }] });
    expect(await tableCounts(app)).toEqual(before);
  });

  it('rolls back the whole report when the write fails half-way', async () => {
    const before = await tableCounts(app);
    const ds = app.app.dataSource;
    // Fail the transaction after writeReport has written everything: none of it may remain.
    const { writeReport } = await import('../../src/reports/report-writer');
    const { Office } = await import('../../src/offices/office.entity');
    const office = await ds.getRepository(Office).findOneByOrFail({ code: 'demo-street' });
    await expect(
      ds.transaction(async (manager) => {
        await writeReport(manager, office, {
          year: 2020,
          templateFormat: '2019',
          title: null,
          publishedAt: null,
          sourceUrl: null,
          contact: null,
          sections: { overview: 'x', problems: null, improvements: null, otherMatters: null },
          metrics: [{ key: 'applications.received.total', value: 1, approximate: false }],
          channels: [],
        });
        throw new Error('fail after the write');
      }),
    ).rejects.toThrow('fail after the write');
    expect(await tableCounts(app)).toEqual(before);
  });

  it('names unknown keys in metrics(keys)', async () => {
    const res = await app.gql(`{ report(officeCode: "demo-street", year: 2022) { metrics(keys: ["review.total", "bogus.key"]) { key value } } }`);
    expect(res.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.message).toContain('"bogus.key"');
  });

  it('lists the years that have reports, with format and deadline', async () => {
    const res = await app.gql<{ years: { year: number; templateFormat: string; deadline: string }[] }>('{ years { year templateFormat deadline } }');
    expect(res.data!.years).toEqual([
      { year: 2022, templateFormat: 'FORMAT_2021', deadline: '2023-01-31' },
      { year: 2023, templateFormat: 'FORMAT_2021', deadline: '2024-01-31' },
    ]);
  });

  it('serves the metric vocabulary for pickers, with labels, tables and formats', async () => {
    const res = await app.gql<{ metricDefinitions: { key: string; label: string; labelEn: string; table: string; formats: string[]; derived: boolean; crossFormat: { key: string; comparable: boolean } | null }[] }>(
      '{ metricDefinitions { key label labelEn table formats derived crossFormat { key comparable } } }',
    );
    const defs = new Map(res.data!.metricDefinitions.map((d) => [d.key, d]));
    expect(defs.get('proactive.rules.made')).toMatchObject({ label: '规章·本年新制作数量', table: 'PROACTIVE', formats: ['FORMAT_2019'], crossFormat: { key: 'proactive.rules.issued', comparable: false } });
    expect(defs.get('proactive.licensing.decisions')).toMatchObject({ formats: ['FORMAT_2019', 'FORMAT_2021'], crossFormat: null });
    expect(defs.get('applications.other.no_fee.total')).toMatchObject({ formats: ['FORMAT_2021'], table: 'APPLICATIONS' });
    expect(defs.get('channels.kiosk.queries')).toMatchObject({ table: 'CHANNELS' });
    expect(defs.get('applications.refused.total')).toMatchObject({ derived: true });
    expect(defs.get('proactive.items_total')).toMatchObject({ table: 'PROSE' });
  });
});
