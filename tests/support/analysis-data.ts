/**
 * A small fictional district (示例区) with reports over three years on both templates, written
 * through the service's own write path, and the inputs kept so tests can compute what to expect.
 */
import { AuditService } from '../../src/audit/audit.service';
import { SYSTEM_VIEWER } from '../../src/auth/viewer';
import type { DataSource } from 'typeorm';
import { withTransaction } from '../../src/db/transaction';
import { Office } from '../../src/offices/office.entity';
import { OfficeService } from '../../src/offices/office.service';
import type { ReportContent } from '../../src/reports/report-content';
import { writeReport } from '../../src/reports/report-writer';
import { templateFormatForYear } from '../../src/metrics/template';

export type Values = Record<string, number>;

/** office code → year → values (a missing year is a report not filed). */
export const DISTRICT: Record<string, { name: string; kind: 'government' | 'sub_district' | 'department'; parent: string | null; years: Record<number, Values> }> = {
  'demo-d': { name: '示例区', kind: 'government', parent: null, years: { 2022: { 'applications.received.total': 3, 'applications.granted.total': 3, 'applications.results_total.total': 3 } } },
  'demo-d-s1': {
    name: '示例第一街道',
    kind: 'sub_district',
    parent: 'demo-d',
    years: {
      2020: { 'proactive.rules.made': 2, 'proactive.licensing.decisions': 40, 'applications.received.total': 8 },
      2021: { 'proactive.rules.issued': 3, 'proactive.licensing.decisions': 50, 'applications.received.total': 0 },
      2022: { 'proactive.rules.issued': 1, 'proactive.licensing.decisions': 60, 'applications.received.total': 10, 'applications.granted.total': 6, 'applications.results_total.total': 10 },
    },
  },
  'demo-d-s2': {
    name: '示例第二街道',
    kind: 'sub_district',
    parent: 'demo-d',
    years: {
      2021: { 'applications.received.total': 4, 'proactive.licensing.decisions': 10 },
      2022: { 'applications.received.total': 5, 'applications.granted.total': 5, 'applications.results_total.total': 5, 'proactive.licensing.decisions': 12 },
    },
  },
  'demo-d-s3': {
    name: '示例第三街道',
    kind: 'sub_district',
    parent: 'demo-d',
    years: { 2021: { 'applications.received.total': 5 }, 2022: { 'applications.received.total': 5, 'applications.granted.total': 1, 'applications.results_total.total': 4 } },
  },
  'demo-d-s4': { name: '示例第四街道', kind: 'sub_district', parent: 'demo-d', years: { 2021: { 'applications.received.total': 2 }, 2022: {} } },
  'demo-d-s5': { name: '示例第五街道', kind: 'sub_district', parent: 'demo-d', years: { 2021: { 'applications.received.total': 1 } } },
  'demo-d-edu': {
    name: '示例区教育局',
    kind: 'department',
    parent: 'demo-d',
    years: { 2022: { 'applications.received.total': 20, 'applications.granted.total': 15, 'applications.results_total.total': 20, 'proactive.licensing.decisions': 7 } },
  },
  'demo-d-s1-c1': { name: '示例第一社区', kind: 'sub_district', parent: 'demo-d-s1', years: { 2022: { 'applications.received.total': 1 } } },
};

export function contentOf(year: number, values: Values): ReportContent {
  return {
    year,
    templateFormat: templateFormatForYear(year),
    title: null,
    publishedAt: null,
    sourceUrl: null,
    contact: null,
    sections: { overview: null, problems: null, improvements: null, otherMatters: null },
    metrics: Object.entries(values).map(([key, value]) => ({ key, value, approximate: false })),
    channels: [],
  };
}

export async function loadDistrict(dataSource: DataSource): Promise<void> {
  const offices = new OfficeService(dataSource, new AuditService(dataSource));
  for (const [code, o] of Object.entries(DISTRICT)) {
    await offices.upsert({ code, name: o.name, kind: o.kind, parentCode: o.parent }, SYSTEM_VIEWER);
  }
  for (const [code, o] of Object.entries(DISTRICT)) {
    const office = await dataSource.getRepository(Office).findOneByOrFail({ code });
    for (const [year, values] of Object.entries(o.years)) {
      await withTransaction(dataSource, (m) => writeReport(m, office, contentOf(Number(year), values)));
    }
  }
}
