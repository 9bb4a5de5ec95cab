/** What `disclosure-graph parse FILE [--json]` prints for a parse result, and its exit code. */
import { FINDING_CODE_LABELS } from '../metrics/consistency';
import { metricDefinition } from '../metrics/catalog';
import type { ParseResult } from './parser';

export function formatParseOutput(result: ParseResult, options: { json: boolean }): { text: string; exitCode: number } {
  if (!result.ok) {
    const { error } = result;
    if (options.json) return { text: JSON.stringify({ error }, null, 2), exitCode: 1 };
    return { text: `error: ${error.message}\n  line ${error.line}: expected ${error.expected}`, exitCode: 1 };
  }
  const r = result.report;
  if (options.json) {
    const json = {
      office: r.office,
      year: r.year,
      templateFormat: r.templateFormat,
      title: r.title,
      publishedAt: r.publishedAt,
      metrics: r.metrics,
      approximate: r.approximateKeys,
      channels: r.channels,
      sections: r.sections,
      contact: r.contact,
      findings: r.findings,
      warnings: r.warnings,
      status: r.status,
      sources: r.sources,
    };
    return { text: JSON.stringify(json, null, 2), exitCode: 0 };
  }
  const lines = [
    `${r.title ?? '(no title)'}`,
    `office 机关: ${r.office ?? '(not named)'}   year 年度: ${r.year ?? '?'}   template 格式: ${r.templateFormat} (from ${r.formatDetectedFrom})`,
    `reading 读取: ${r.status}`,
    `metrics 数值: ${Object.keys(r.metrics).length}`,
    ...Object.entries(r.metrics).map(([key, value]) => `  ${key} = ${value}${r.approximateKeys.includes(key) ? ' (约)' : ''}   ${metricDefinition(key)?.label.zh ?? ''}`),
    `channels 渠道: ${r.channels.length}`,
    ...r.channels.map((c) => `  ${c.kind}${c.name ? ` 「${c.name}」` : ''}: items=${c.items ?? '-'} devices=${c.devices ?? '-'} queries=${c.queries ?? '-'}${c.approximate ? ' (约)' : ''}`),
    `findings 勾稽关系问题: ${r.findings.length}`,
    ...r.findings.map((f) => `  ${f.code} ${FINDING_CODE_LABELS[f.code].zh} [${f.scope}] ${f.left} vs ${f.right}`),
    `warnings 提示: ${r.warnings.length}`,
    ...r.warnings.map((w) => `  ${w.code}: ${w.message}`),
  ];
  return { text: lines.join('\n'), exitCode: 0 };
}
