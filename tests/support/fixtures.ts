/** Clearly fictional offices and reports for tests (示例 = "example"). */
import type { TestApp } from './app';

export const UPSERT_OFFICE = `mutation($input: OfficeInput!) { upsertOffice(input: $input) { code name kind depth parent { code } } }`;
export const UPSERT_REPORT = `mutation($input: ReportInput!) { upsertReport(input: $input) { id year templateFormat findings { code scope left right difference } } }`;

export async function createOffice(app: TestApp, code: string, name: string, parentCode: string | null, kind = 'SUB_DISTRICT'): Promise<void> {
  const res = await app.gql(UPSERT_OFFICE, { input: { code, name, kind, parentCode } });
  if (res.errors) throw new Error(`upsertOffice ${code}: ${JSON.stringify(res.errors)}`);
}

/** 威海市 → 环翠区 → 鲸园街道办事处: the offices the Jingyuan sample report belongs to. */
export async function createJingyuanOffices(app: TestApp): Promise<void> {
  await createOffice(app, 'weihai', '威海市', null, 'GOVERNMENT');
  await createOffice(app, 'weihai-huancui', '环翠区', 'weihai', 'GOVERNMENT');
  await createOffice(app, 'weihai-huancui-jingyuan', '鲸园街道办事处', 'weihai-huancui');
}

/** How many rows a table holds. */
export async function rowCount(app: TestApp, table: string): Promise<number> {
  const rows = await app.app.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(rows[0].n);
}

/** A small 2021-format report whose table 三 adds up, with two channels. */
export function consistentReport2021(officeCode: string, year = 2022, received = 4) {
  return {
    officeCode,
    year,
    title: `示例街道${year}年政府信息公开工作年度报告`,
    publishedAt: `${year + 1}-01-20`,
    sections: { overview: '示例概述。', problems: '示例问题。', improvements: '示例改进。', otherMatters: '无。' },
    metrics: [
      { key: 'proactive.rules.issued', value: 0 },
      { key: 'proactive.licensing.decisions', value: 120 },
      { key: 'proactive.fees.amount_10k_yuan', value: 24.5 },
      { key: 'applications.received.natural_person', value: received },
      { key: 'applications.received.total', value: received },
      { key: 'applications.carried_over.total', value: 0 },
      { key: 'applications.granted.natural_person', value: received },
      { key: 'applications.granted.total', value: received },
      { key: 'applications.results_total.natural_person', value: received },
      { key: 'applications.results_total.total', value: received },
      { key: 'applications.carried_forward.total', value: 0 },
      { key: 'review.total', value: 0 },
      { key: 'proactive.items_total', value: 100 },
    ],
    channels: [
      { kind: 'WEBSITE', items: 60 },
      { kind: 'WECHAT', name: '示例发布', items: 40 },
    ],
  };
}
