import type { EntityManager } from 'typeorm';
import { channelMetrics } from '../channels/channel-metrics';
import { ChannelActivity, DisclosureChannel } from '../channels/disclosure-channel.entity';
import { checkConsistency } from '../metrics/consistency';
import { MetricValue } from '../metrics/metric-value.entity';
import type { Office } from '../offices/office.entity';
import { ensureReportingYear } from '../years/reporting-year.service';
import { AnnualReport } from './annual-report.entity';
import { Finding } from './finding.entity';
import type { ReportContent } from './report-content';

/**
 * Writes one report's content inside the caller's transaction: the report row, its metrics, its
 * channels' activity and its recomputed findings. Replaces whatever the report held before.
 */
export async function writeReport(manager: EntityManager, office: Office, content: ReportContent): Promise<AnnualReport> {
  await ensureReportingYear(manager, content.year);

  let report = await manager.findOneBy(AnnualReport, { officeId: office.id, year: content.year });
  const fields = {
    templateFormat: content.templateFormat,
    title: content.title,
    publishedAt: content.publishedAt,
    sourceUrl: content.sourceUrl,
    contact: content.contact,
    ...content.sections,
  };
  if (report) {
    Object.assign(report, fields);
    report = await manager.save(report);
    await manager.delete(MetricValue, { reportId: report.id });
    await manager.delete(Finding, { reportId: report.id });
    await manager.delete(ChannelActivity, { reportId: report.id });
  } else {
    report = await manager.save(manager.create(AnnualReport, { officeId: office.id, year: content.year, ...fields }));
  }
  const reportId = report.id;

  const values = new Map<string, { value: number; approximate: boolean }>();
  for (const m of content.metrics) values.set(m.key, { value: m.value, approximate: m.approximate });
  for (const [key, derived] of channelMetrics(content.channels)) values.set(key, derived);

  if (values.size > 0) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(MetricValue)
      .values([...values].map(([metricKey, v]) => ({ reportId, metricKey, officeId: office.id, year: content.year, value: v.value, approximate: v.approximate })))
      .execute();
  }

  if (content.channels.length > 0) {
    const channelIds = await channelIdsFor(manager, office.id, content);
    await manager
      .createQueryBuilder()
      .insert()
      .into(ChannelActivity)
      .values(
        content.channels.map((c) => ({
          reportId,
          channelId: channelIds.get(`${c.kind}\u0000${c.name}`)!,
          items: c.items,
          devices: c.devices,
          queries: c.queries,
          approximate: c.approximate,
        })),
      )
      .execute();
  }

  const findings = checkConsistency(new Map([...values].map(([k, v]) => [k, v.value])), content.templateFormat);
  if (findings.length > 0) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(Finding)
      .values(
        findings.map((f) => ({
          reportId,
          code: f.code,
          scope: f.scope,
          leftKeys: [...f.leftKeys],
          rightKeys: [...f.rightKeys],
          left: f.left,
          right: f.right,
          difference: f.difference,
          message: f.message,
        })),
      )
      .execute();
  }
  return report;
}

/** The office's channel rows for the content's channels, creating those it does not have yet. */
async function channelIdsFor(manager: EntityManager, officeId: number, content: ReportContent): Promise<Map<string, number>> {
  const existing = await manager.findBy(DisclosureChannel, { officeId });
  const ids = new Map(existing.map((c) => [`${c.kind}\u0000${c.name}`, c]));
  const result = new Map<string, number>();
  for (const c of content.channels) {
    const identity = `${c.kind}\u0000${c.name}`;
    let channel = ids.get(identity);
    if (!channel) {
      channel = await manager.save(manager.create(DisclosureChannel, { officeId, kind: c.kind, name: c.name, url: c.url }));
      ids.set(identity, channel);
    } else if (c.url && channel.url !== c.url) {
      channel.url = c.url;
      await manager.update(DisclosureChannel, { id: channel.id }, { url: c.url });
    }
    result.set(identity, channel.id);
  }
  return result;
}
