import { SYSTEM_VIEWER } from '../auth/viewer';
import type { OfficeKindKey } from '../offices/office-kind';
import type { ReportInput } from '../reports/report.input';
import type { Services } from '../server/context';
import sample from './jingyuan-2020.json';

/**
 * The sample a new installation starts with: the Jingyuan sub-district's 2020 report, entered by
 * hand from the published text, under its real parents (威海市 → 环翠区 → 鲸园街道办事处).
 * Loaded only into a database with no offices, so it never touches real data.
 */
export async function loadSampleIfEmpty(services: Services, count: () => Promise<number>): Promise<boolean> {
  if ((await count()) > 0) return false;
  for (const office of sample.offices) {
    await services.offices.upsert({ ...office, kind: office.kind as OfficeKindKey }, SYSTEM_VIEWER);
  }
  await services.reports.upsert(sample.report as unknown as ReportInput, SYSTEM_VIEWER);
  return true;
}

export const SAMPLE_REPORT = sample.report;
export const SAMPLE_OFFICES = sample.offices;
