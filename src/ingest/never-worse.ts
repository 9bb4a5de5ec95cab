/**
 * "An import never makes things worse": a reading that would replace a report's numbers with
 * fewer (or none) is refused, naming why, unless the importer forces it. The published text may
 * be an HTML page whose tables are images, a stray file that only mentions a year, or an excerpt
 * cut short; storing any of them over a report that has its numbers would blank it.
 */
import type { EntityManager } from 'typeorm';
import { metricDefinition } from '../metrics/catalog';
import { MetricValue } from '../metrics/metric-value.entity';
import type { ReadingStatus } from '../provenance/provenance';
import { ReportRevision } from '../reports/report-revision.entity';
import { lockedReport } from '../reports/report-writer';
import type { ImportProblemCode } from './import-codes';

export type RefusalCode = Extract<ImportProblemCode, 'UNREADABLE' | 'NO_VALUES' | 'NO_TABLE_VALUES' | 'FEWER_VALUES'>;

export interface Refusal {
  readonly code: RefusalCode;
  readonly message: string;
}

const STATISTICAL_TABLES = new Set(['proactive', 'applications', 'reviews']);

/** How many of the keys are cells of tables 二, 三 and 四 (not prose figures, not channels). */
export function tableValueCount(keys: Iterable<string>): number {
  let n = 0;
  for (const key of keys) if (STATISTICAL_TABLES.has(metricDefinition(key)?.table ?? '')) n += 1;
  return n;
}

export interface CurrentReport {
  /** Table values the current revision holds. */
  readonly tableValues: number;
  readonly contentHash: string | null;
}

/**
 * The office's current report on the year, or null when there is none. Locks the report row on
 * MySQL/MariaDB, as the write that may follow does, so that the check and the write see the same
 * current revision.
 */
export async function currentReport(manager: EntityManager, officeId: number, year: number): Promise<CurrentReport | null> {
  const report = await lockedReport(manager, officeId, year);
  if (!report) return null;
  const rows = await manager.getRepository(MetricValue).find({ select: { metricKey: true }, where: { reportId: report.id } });
  const revision = await manager.getRepository(ReportRevision).findOne({ select: { contentHash: true }, where: { reportId: report.id }, order: { number: 'DESC' } });
  return { tableValues: tableValueCount(rows.map((r) => r.metricKey)), contentHash: revision?.contentHash ?? null };
}

export interface Reading {
  readonly status: ReadingStatus;
  /** Every number read, prose and channels included. */
  readonly values: number;
  /** Cells of tables 二, 三 and 四 that will be stored. */
  readonly tableValues: number;
}

const OVERRIDE = '如确需导入，请使用 --force（命令行）或 force: true（GraphQL）/ to import it anyway, use --force (CLI) or force: true (GraphQL)';

/** Why the reading must not be stored over `current` (table values of the current report, null for none); null when it may. */
export function refusalOf(reading: Reading, current: number | null): Refusal | null {
  const kept = current === null ? '' : `；当前版本（${current}个表格数值）保留 / the current version (${current} table values) is kept`;
  if (reading.status === 'unreadable') {
    return {
      code: 'UNREADABLE',
      message: `原文有表格但无法读出（可能是图片），未导入${kept}。${OVERRIDE} — the text has tables that could not be read (images?); nothing was stored`,
    };
  }
  if (reading.values === 0) {
    return {
      code: 'NO_VALUES',
      message: `原文中未读出任何数值（不像年度报告全文），未导入${kept}。${OVERRIDE} — no number could be read from the text (is it the whole report?); nothing was stored`,
    };
  }
  if (current !== null && current > 0 && reading.tableValues === 0) {
    return {
      code: 'NO_TABLE_VALUES',
      message: `原文中未读出表二至表四的任何数值，而当前版本有${current}个，未导入${kept}。${OVERRIDE} — no value of tables 二–四 was read, while the current version has ${current}; nothing was stored`,
    };
  }
  if (reading.status === 'partial' && current !== null && reading.tableValues < current) {
    return {
      code: 'FEWER_VALUES',
      message: `原文不完整，只读出${reading.tableValues}个表格数值，少于当前版本的${current}个，未导入${kept}。${OVERRIDE} — the text is incomplete: ${reading.tableValues} table values read, fewer than the current version's ${current}; nothing was stored`,
    };
  }
  return null;
}
