/**
 * The four analysis queries as downloads: each reads its GraphQL arguments from the URL (same
 * names, same validation, lists comma-separated), names the analysis field it runs (for the cost
 * limit and the per-client concurrency limit) and builds its document from the service's answer.
 */
import type { AnalysisField } from '../analysis/analysis-cost';
import { BadUserInputError } from '../common/errors';
import { metricDefinition } from '../metrics/catalog';
import { OFFICE_KIND_LABELS, type OfficeKindKey } from '../offices/office-kind';
import type { Office } from '../offices/office.entity';
import { MAX_COMPARED_OFFICES, MAX_MISSING, MAX_SERIES_OFFICES, validateMetrics, validateYears, type AnalysisExports, type CompareRequest, type RollupGroupData } from './analysis-adapter';
import type { ExportParams } from './export-params';
import { EnumValue, OFFICE_COLUMNS, column, fromArray, generatedLine, queryLine, type Cell, type Column, type ExportDocument } from './export-table';

export interface ExportPlan {
  /** The analysis field the export runs, with the arguments its cost is computed from. */
  readonly analysis: { readonly field: AnalysisField; readonly args: Record<string, unknown>; readonly scopeCodes: string[] } | null;
  document(signal?: AbortSignal): Promise<ExportDocument>;
}

export type ExportFormat = 'xlsx' | 'csv';

/** Reads the route's parameters (refusing bad ones) and plans the export; a CSV holds one table, so some routes need to know. */
export type Planner = (params: ExportParams, analyses: AnalysisExports, format: ExportFormat) => Promise<ExportPlan>;

const label = (metric: string) => metricDefinition(metric)!.label;
const metricColumns = (metrics: readonly string[], parts: readonly { zh: string; en: string; numFmt?: string }[]): Column[] =>
  metrics.flatMap((m) => parts.map((p) => column(`${label(m).zh}·${p.zh}`, `${label(m).en} · ${p.en}`, { min: 12, ...(p.numFmt ? { numFmt: p.numFmt } : {}) })));
const officeCells = (o: Office | null): Cell[] => [o?.code ?? null, o?.name ?? null];
const yesNo = (b: boolean) => (b ? '是' : '否');
const stamp = (name: string, year: string | number) => `${name}-${year}`;
const ascii = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, '_');

const COMPARED_PARTS = [
  { zh: '数值', en: 'value' },
  { zh: '排名', en: 'rank' },
  { zh: '占比', en: 'share', numFmt: '0.0%' },
  { zh: '与均值之差', en: 'difference from mean' },
  { zh: '与中位数之差', en: 'difference from median' },
  { zh: '上年数值', en: 'previous year' },
  { zh: '增减', en: 'change' },
  { zh: '增减百分比', en: 'percent change' },
];

/** `GET /exports/compare-offices.(xlsx|csv)?year=&metrics=&under=|officeCodes=&orderBy=&direction=` */
export const compareOfficesPlan: Planner = async (params, analyses) => {
  const year = params.year('year');
  const metrics = validateMetrics(params.list('metrics'));
  const under = params.optionalString('under');
  const listed = params.optionalListAlias(['officeCodes', 'offices']);
  const orderBy = params.optionalString('orderBy') ?? metrics[0]!;
  const direction = params.oneOf('direction', ['ASC', 'DESC'] as const, 'DESC');
  params.done();
  if (Boolean(under) === Boolean(listed)) throw BadUserInputError.of('under', 'give either under or officeCodes, not both and not neither');
  if (!metrics.includes(orderBy)) throw BadUserInputError.of('orderBy', `"${orderBy}" is not one of metrics`);
  const scope = under ? { kind: 'under' as const, root: await analyses.office(under, 'under') } : { kind: 'offices' as const, offices: await analyses.offices(listed!.value, listed!.name, MAX_COMPARED_OFFICES) };
  const request: CompareRequest = { scope, year, metrics, orderBy, descending: direction === 'DESC' };
  const codes = scope.kind === 'offices' ? scope.offices.map((o) => o.code) : null;
  const args = { year, metrics, under, officeCodes: codes, orderBy: { metric: orderBy, direction: new EnumValue(direction) } };
  return {
    analysis: { field: 'compareOffices', args: { ...args, offices: codes }, scopeCodes: under ? [under] : [] },
    async document(signal) {
      const { data, missing } = await analyses.compareHead(request, signal);
      const scopeName = scope.kind === 'under' ? scope.root.name : `${scope.offices.length}个机关`;
      return {
        heading: `多机关比较 Compare offices · ${scopeName} · ${year}年度`,
        lines: [
          queryLine('compareOffices', args),
          `机关 Offices: ${data.officeCount} · 已报送 Filed: ${data.reportedCount} · 未报送 Not filed: ${data.missingCount}`,
          generatedLine(),
        ],
        fileName: stamp(`多机关比较-${scopeName}`, year),
        asciiName: ascii(`compare-offices-${under ?? 'offices'}-${year}`),
        tables: [
          {
            name: '比较',
            nameEn: 'Comparison',
            frozenColumns: 2,
            columns: [...OFFICE_COLUMNS, ...metricColumns(metrics, COMPARED_PARTS)],
            async *rows() {
              for await (const row of analyses.compareRows(request, data, signal)) {
                yield [...officeCells(row.office), ...row.values.flatMap((v) => [v.value, v.rank, v.share, v.differenceFromMean, v.differenceFromMedian, v.previousValue, v.change, v.percentChange])];
              }
            },
          },
          {
            name: '指标汇总',
            nameEn: 'Group figures',
            columns: [column('指标键', 'Metric key', { min: 30 }), column('指标', 'Metric', { min: 30 }), column('合计', 'Sum'), column('均值', 'Mean'), column('中位数', 'Median'), column('填报数', 'Stated'), column('留空数', 'Blank')],
            rows: () => fromArray(data.groups.map((s) => [s.metric, `${label(s.metric).zh} / ${label(s.metric).en}`, s.sum, s.mean, s.median, s.statedCount, s.blankCount])),
          },
          { name: '未报送', nameEn: 'Not filed', frozenColumns: 2, columns: OFFICE_COLUMNS, rows: () => fromArray(missing.map((o) => officeCells(o))) },
        ],
      };
    },
  };
};

const groupLabel = (g: RollupGroupData, groupBy: 'KIND' | 'LEVEL') =>
  g.group === 'ALL'
    ? '全部 / All'
    : groupBy === 'KIND'
      ? `${OFFICE_KIND_LABELS[g.group as OfficeKindKey]?.zh ?? g.group} / ${OFFICE_KIND_LABELS[g.group as OfficeKindKey]?.en ?? g.group}`
      : `第${g.group}级 / level ${g.group}`;

/** `GET /exports/rollup.(xlsx|csv)?under=&years=&metrics=&groupBy=&missingFirst=` */
export const rollupPlan: Planner = async (params, analyses) => {
  const under = params.string('under');
  const years = [...new Set(params.intList('years'))].sort((a, b) => a - b);
  const metrics = validateMetrics(params.list('metrics'));
  const groupBy = params.oneOf('groupBy', ['KIND', 'LEVEL'] as const, 'KIND');
  const missingFirst = params.optionalInt('missingFirst') ?? MAX_MISSING;
  params.done();
  if (missingFirst < 0) throw BadUserInputError.of('missingFirst', `must be 0 or more, got ${missingFirst}`);
  validateYears(years[0]!, years[years.length - 1]!);
  const root = await analyses.office(under, 'under');
  const args = { under, years, metrics, groupBy: new EnumValue(groupBy), missingFirst: Math.min(missingFirst, MAX_MISSING) };
  return {
    analysis: { field: 'rollup', args: { under, years, metrics }, scopeCodes: [under] },
    async document(signal) {
      const data = await analyses.rollup(root, years, metrics, groupBy, args.missingFirst, signal);
      const row = (g: RollupGroupData): Cell[] => [g.year, g.group, groupLabel(g, groupBy), g.officeCount, g.reportedCount, g.officeCount - g.reportedCount, ...g.values.flatMap((v) => [v.total, v.mean])];
      return {
        heading: `辖区汇总 Rollup · ${root.name} · ${years.join('、')}年度`,
        lines: [queryLine('rollup', args), generatedLine()],
        fileName: stamp(`辖区汇总-${root.name}`, years.join('_')),
        asciiName: ascii(`rollup-${under}-${years.join('_')}`),
        tables: [
          {
            name: '汇总',
            nameEn: 'Rollup',
            frozenColumns: 3,
            columns: [
              column('年度', 'Year', { min: 6 }),
              column('分组', 'Group key'),
              column('分组名称', 'Group', { min: 20 }),
              column('机关数', 'Offices'),
              column('已报送', 'Filed'),
              column('未报送', 'Not filed'),
              ...metricColumns(metrics, [
                { zh: '合计', en: 'total' },
                { zh: '均值', en: 'mean' },
              ]),
            ],
            // The groups, then each year's total over all offices (group ALL), as GraphQL's `totals`.
            rows: () => fromArray([...data.groups.map(row), ...data.totals.map(row)]),
          },
          {
            name: '未报送',
            nameEn: 'Not filed',
            columns: [column('年度', 'Year', { min: 6 }), column('分组', 'Group key'), ...OFFICE_COLUMNS],
            rows: () => fromArray(data.groups.flatMap((g) => data.missingOf(g).map((o) => [g.year, g.group, ...officeCells(o)]))),
          },
        ],
      };
    },
  };
};

/** `GET /exports/time-series.(xlsx|csv)?metrics=&fromYear=&toYear=&under=|officeCodes=` */
export const timeSeriesPlan: Planner = async (params, analyses) => {
  const metrics = validateMetrics(params.list('metrics'));
  const fromYear = params.year('fromYear');
  const toYear = params.year('toYear');
  const under = params.optionalString('under');
  const listed = params.optionalListAlias(['officeCodes']);
  params.done();
  validateYears(fromYear, toYear);
  if (Boolean(under) === Boolean(listed)) throw BadUserInputError.of('under', 'give either under or officeCodes, not both and not neither');
  const root = under ? await analyses.office(under, 'under') : null;
  const offices = listed ? await analyses.offices(listed.value, listed.name, MAX_SERIES_OFFICES) : [];
  const args = { metrics, fromYear, toYear, officeCodes: listed ? offices.map((o) => o.code) : null, under };
  return {
    analysis: { field: 'timeSeries', args, scopeCodes: under ? [under] : [] },
    async document(signal) {
      const series = await analyses.timeSeries(root ? { root } : { offices }, metrics, fromYear, toYear, signal);
      const byId = new Map(offices.map((o) => [o.id, o]));
      const name = root ? root.name : `${offices.length}个机关`;
      return {
        heading: `时间序列 Time series · ${name} · ${fromYear}–${toYear}年度`,
        lines: [queryLine('timeSeries', args), root ? '范围 Scope: 辖区合计（含本级）/ the subtree\'s total, the office itself included' : '范围 Scope: 各机关 / per office', generatedLine()],
        fileName: stamp(`时间序列-${name}`, `${fromYear}-${toYear}`),
        asciiName: ascii(`time-series-${under ?? 'offices'}-${fromYear}-${toYear}`),
        tables: [
          {
            name: '时间序列',
            nameEn: 'Time series',
            frozenColumns: 2,
            columns: [
              ...OFFICE_COLUMNS,
              column('指标键', 'Metric key', { min: 30 }),
              column('指标', 'Metric', { min: 30 }),
              column('年度', 'Year', { min: 6 }),
              column('数值', 'Value'),
              column('格式', 'Template'),
              column('计入报告数', 'Reports counted'),
              column('与上年同口径', 'Comparable with previous year'),
            ],
            rows: () =>
              fromArray(
                series.flatMap((s) =>
                  s.points.map((p) => [...officeCells(s.officeId === null ? root : (byId.get(s.officeId) ?? null)), s.metric, label(s.metric).zh, p.year, p.value, p.templateFormat, p.reportedCount, yesNo(p.comparableWithPrevious)]),
                ),
              ),
          },
        ],
      };
    },
  };
};

/** `GET /exports/year-over-year.(xlsx|csv)?officeCode=&metrics=&fromYear=&toYear=` */
export const yearOverYearPlan: Planner = async (params, analyses) => {
  const officeCode = params.string('officeCode');
  const metrics = validateMetrics(params.list('metrics'));
  const fromYear = params.year('fromYear');
  const toYear = params.year('toYear');
  params.done();
  validateYears(fromYear, toYear);
  const office = await analyses.office(officeCode, 'officeCode');
  const args = { officeCode, metrics, fromYear, toYear };
  return {
    analysis: { field: 'yearOverYear', args, scopeCodes: [] },
    async document(signal) {
      const series = await analyses.yearOverYear(office, metrics, fromYear, toYear, signal);
      return {
        heading: `同比 Year over year · ${office.name} · ${fromYear}–${toYear}年度`,
        lines: [queryLine('yearOverYear', args), generatedLine()],
        fileName: stamp(`同比-${office.name}`, `${fromYear}-${toYear}`),
        asciiName: ascii(`year-over-year-${officeCode}-${fromYear}-${toYear}`),
        tables: [
          {
            name: '同比',
            nameEn: 'Year over year',
            frozenColumns: 2,
            columns: [
              column('指标键', 'Metric key', { min: 30 }),
              column('指标', 'Metric', { min: 30 }),
              column('年度', 'Year', { min: 6 }),
              column('格式', 'Template'),
              column('当年指标键', 'Key that year', { min: 30 }),
              column('数值', 'Value'),
              column('上年指标键', 'Key the year before', { min: 30 }),
              column('上年数值', 'Previous value'),
              column('增减', 'Change'),
              column('增减百分比', 'Percent change'),
              column('是否可比', 'Comparable'),
              column('说明', 'Note', { min: 30 }),
            ],
            rows: () =>
              fromArray(
                series.flatMap((s) =>
                  s.points.map((p) => [s.metric, label(s.metric).zh, p.year, p.templateFormat, p.key, p.value, p.previousKey, p.previousValue, p.change, p.percentChange, yesNo(p.comparable), p.note]),
                ),
              ),
          },
        ],
      };
    },
  };
};
