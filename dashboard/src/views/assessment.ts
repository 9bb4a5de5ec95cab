/**
 * 政务公开考核 / the year-end assessment of the district (analyst role): each office's score and
 * its parts, the district's summary, and the workbook (and its sheets as CSV) to download.
 */
import { allPages, isAuthError, request, storedToken } from '../api';
import { downloadButton } from '../download';
import { formatNumber, formatPercent, h } from '../dom';
import { AssessmentDocument, type AssessmentQuery } from '../generated/graphql';
import { Panel, type PanelContent } from '../panel';

type AssessmentResult = AssessmentQuery['assessment'];
type AssessmentRow = AssessmentResult['rows']['edges'][number]['node'];

interface Assessment {
  readonly head: Omit<AssessmentResult, 'rows'>;
  readonly rows: readonly AssessmentRow[];
}

export function assessmentPanel(): Panel {
  return new Panel('assessment', '政务公开考核', 'Assessment');
}

async function loadAssessment(district: string, year: number): Promise<Assessment> {
  let head: AssessmentResult | null = null;
  const rows = await allPages((after) =>
    request(AssessmentDocument, { district, year, after }).then((d) => {
      head ??= d.assessment;
      return d.assessment.rows;
    }),
  );
  return { head: head!, rows };
}

/** Without (the right) token the service refuses: say what is needed instead of showing an error. */
function tokenNeeded(error: unknown): Node | null {
  if (!isAuthError(error)) return null;
  const why = !storedToken()
    ? '在上方「令牌 / Token」处填写分析员令牌后，显示各机关得分并可下载考核工作簿。/ Enter an analyst token above to see the scores and download the workbook.'
    : error.code === 'FORBIDDEN' || error.status === 403
      ? `所填令牌没有分析员权限 / The token given lacks the analyst role (${error.message})`
      : `所填令牌未通过验证 / The token given was refused (${error.message})`;
  return h('div', {}, h('strong', {}, '需要分析员令牌 / an analyst token is needed'), h('p', {}, why));
}

export async function showAssessment(panel: Panel, district: string, year: number): Promise<void> {
  await panel.load(['考核结果', 'assessment'], () => loadAssessment(district, year), (data) => present(data), tokenNeeded);
}

function onTimeText(row: AssessmentRow): string {
  if (!row.filed) return '—';
  if (row.onTime === null) return '日期不明 / date unknown';
  return row.onTime ? '按期 / on time' : '逾期 / late';
}

function present(data: Assessment): PanelContent | { empty: string } {
  const { head, rows } = data;
  const { summary } = head;
  if (summary.offices === 0) return { empty: `${head.under.name}下没有机关可考核 / No offices under this district` };
  const base = `政务公开考核-${head.under.name}-${head.year}`;
  const status = h('span', { class: 'download-status', 'data-testid': 'assessment-download-status' });
  const downloads = h(
    'div',
    { class: 'downloads' },
    downloadButton('下载考核工作簿 / Download workbook (.xlsx)', head.downloads.xlsx, `${base}.xlsx`, 'assessment-download', status),
    h(
      'span',
      {},
      '分表 CSV / Sheets as CSV: ',
      head.downloads.csv.flatMap((sheet) => {
        const link = downloadButton(sheet.name, sheet.url, `${base}-${sheet.name}.csv`, `assessment-csv-${sheet.sheet}`, status);
        link.className = 'link';
        return [link, ' '];
      }),
    ),
    status,
  );
  const card = (label: string, value: string, testId: string, hint?: string) =>
    h('div', { class: 'card', 'data-testid': testId }, h('span', { class: 'card-label' }, label), h('span', { class: 'card-value' }, value), hint ? h('span', { class: 'card-hint' }, hint) : null);
  const cards = h(
    'div',
    { class: 'cards' },
    card('应公布机关 / Offices', formatNumber(summary.offices), 'assessment-offices', '下属机关，不含本级 / offices under the district, not its own'),
    card('已公布 / Filed', formatNumber(summary.filed), 'assessment-filed'),
    card('按期 / On time', formatNumber(summary.onTime), 'assessment-on-time'),
    card('逾期 / Late', formatNumber(summary.late), 'assessment-late', summary.dateUnknown ? `${summary.dateUnknown} 份日期不明 / date unknown` : undefined),
    card('未公布 / Missing', formatNumber(summary.missing), 'assessment-missing'),
    card('平均得分 / Average score', formatNumber(summary.averageScore), 'assessment-average'),
  );
  const common = summary.commonFindings.length
    ? h('div', { 'data-testid': 'assessment-common-findings' }, h('strong', {}, '常见勾稽关系问题 / Common findings'), h('ul', { class: 'common-findings' }, summary.commonFindings.map((f) => h('li', {}, `${f.label}（${f.code}）：${f.count}`))))
    : h('p', { class: 'notes', 'data-testid': 'assessment-common-findings' }, '未发现勾稽关系问题 / No findings');
  return {
    lead: h('div', {}, cards, downloads),
    table: {
      caption: `${head.under.name} ${head.year}年 政务公开考核 / Assessment`,
      columns: ['机关 / Office', '得分 / Score', '已公布 / Filed', '按期 / On time', '完整度 / Completeness', '勾稽问题 / Findings', '与上年重复 / Repeated text'],
      rows: rows.map((r) => [
        r.office.name,
        formatNumber(r.score),
        r.filed ? '是 / yes' : '未公布 / missing',
        onTimeText(r),
        r.filed ? formatPercent(r.completeness) : '—',
        r.filed ? r.findingCount : '—',
        formatPercent(r.repeatedShare),
      ]),
    },
    always: common,
  };
}
