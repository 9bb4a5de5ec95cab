import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { channelMetrics } from '../channels/channel-metrics';
import { ChannelActivity, DisclosureChannel } from '../channels/disclosure-channel.entity';
import { checkConsistency } from '../metrics/consistency';
import { MetricValue } from '../metrics/metric-value.entity';
import type { Office } from '../offices/office.entity';
import { MANUAL_SOURCE, NO_SOURCE, sourceColumns, type SourceColumns } from '../provenance/provenance';
import { ensureReportingYear } from '../years/reporting-year.service';
import { AnnualReport } from './annual-report.entity';
import { Finding } from './finding.entity';
import type { ReportContent } from './report-content';
import { CHUNK_CHARACTERS, ReportRevision, ReportRevisionChunk } from './report-revision.entity';
import { contentHash, contentJson, splitChunks } from './revision-content';
import { keepCorrections, reopenReview, restoreResolutions, savedResolutions } from '../review/review-writer';

const SOURCE_COLUMN_NAMES = ['sourceLine', 'sourceStart', 'sourceEnd', 'sourceMethod', 'sourceTable', 'sourceRow', 'sourceColumn'] as const satisfies readonly (keyof SourceColumns)[];

export type WriteOutcome = 'created' | 'revised' | 'unchanged';

export interface WriteOptions {
  /** `correction`: a reviewer's correctMetrics (review/review.service.ts). */
  readonly origin: 'upsert' | 'import' | 'correction';
  /** The published text an import was read from, kept with the revision. */
  readonly sourceText?: string | null;
  /** The text the parser read (what sources point into), kept when it differs from sourceText. */
  readonly normalisedText?: string | null;
  readonly author?: string | null;
  /** Keys a person set: stored with the method `manual`, keeping the place in the text they concern. */
  readonly manualKeys?: ReadonlySet<string>;
}

export interface WriteResult {
  readonly report: AnnualReport;
  readonly outcome: WriteOutcome;
  readonly revision: ReportRevision;
  /** The revision that was current before this write, if any. */
  readonly previousRevision: ReportRevision | null;
}

/**
 * Plain multi-row INSERTs for the rows a report writes hundreds of: TypeORM's insert builder spends
 * more time on its metadata than the database spends on the rows. Chunked under SQLite's and
 * MySQL's limits on bound parameters.
 */
async function insertRows(manager: EntityManager, table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const quote = (name: string) => manager.connection.driver.escape(name);
  const perStatement = Math.max(1, Math.floor(30000 / columns.length));
  for (let i = 0; i < rows.length; i += perStatement) {
    const batch = rows.slice(i, i + perStatement);
    const placeholders = `(${columns.map(() => '?').join(', ')})`;
    await manager.query(`INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${batch.map(() => placeholders).join(', ')}`, batch.flat());
  }
}

/**
 * Locking reads on MySQL/MariaDB: they wait for a concurrent writer of the same report and then
 * read what it committed (a plain read would use the transaction's older snapshot). SQLite writers
 * are already serialised (db/transaction.ts) and it has no row locks.
 */
function lockForWrite<T extends ObjectLiteral>(manager: EntityManager, qb: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  const type = manager.connection.options.type;
  return type === 'mysql' || type === 'mariadb' ? qb.setLock('pessimistic_write') : qb;
}

export async function lockedReport(manager: EntityManager, officeId: number, year: number): Promise<AnnualReport | null> {
  const qb = manager.getRepository(AnnualReport).createQueryBuilder('r').where('r.officeId = :officeId AND r.year = :year', { officeId, year });
  return lockForWrite(manager, qb).getOne();
}

export async function latestRevision(manager: EntityManager, reportId: number): Promise<ReportRevision | null> {
  const qb = manager.getRepository(ReportRevision).createQueryBuilder('v').where('v.reportId = :reportId', { reportId }).orderBy('v.number', 'DESC').limit(1);
  return lockForWrite(manager, qb).getOne();
}

/**
 * Writes one report's content inside the caller's transaction: the report row, its metrics, its
 * channels' activity, its recomputed findings and a new revision. Content equal to the current
 * revision changes nothing; anything else becomes current and the earlier version stays as a
 * revision.
 */
export async function writeReport(manager: EntityManager, office: Office, given: ReportContent, options: WriteOptions = { origin: 'upsert' }): Promise<WriteResult> {
  let report = await lockedReport(manager, office.id, given.year);
  // A re-import or upsert keeps the corrections people made; with them applied, the same text (or
  // content) hashes as the corrected revision did and is UNCHANGED.
  const kept = report && options.origin !== 'correction' ? await keepCorrections(manager, report.id, given) : null;
  const content = kept?.content ?? given;
  const manualKeys = kept?.manualKeys ?? options.manualKeys ?? new Set<string>();
  const hash = contentHash(content, options.sourceText);
  const previousRevision = report ? await latestRevision(manager, report.id) : null;
  if (report && previousRevision?.contentHash === hash) {
    return { report, outcome: 'unchanged', revision: previousRevision, previousRevision };
  }
  const outcome: WriteOutcome = report ? 'revised' : 'created';
  await ensureReportingYear(manager, content.year);
  const fields = {
    templateFormat: content.templateFormat,
    title: content.title,
    publishedAt: content.publishedAt,
    sourceUrl: content.sourceUrl,
    contact: content.contact,
    readingStatus: content.readingStatus ?? null,
    ...content.sections,
  };
  const resolutions = report ? await savedResolutions(manager, report.id) : [];
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
  const sourceFor = (key: string): SourceColumns => {
    const source = content.sources?.[key];
    if (manualKeys.has(key)) return source ? { ...sourceColumns(source), sourceMethod: 'manual' } : MANUAL_SOURCE;
    return source ? sourceColumns(source) : options.origin === 'upsert' ? MANUAL_SOURCE : NO_SOURCE;
  };

  await insertRows(
    manager,
    'metric_values',
    ['reportId', 'metricKey', 'officeId', 'year', 'value', 'approximate', ...SOURCE_COLUMN_NAMES],
    [...values].map(([metricKey, v]) => {
      const source = sourceFor(metricKey);
      return [reportId, metricKey, office.id, content.year, v.value, v.approximate ? 1 : 0, ...SOURCE_COLUMN_NAMES.map((c) => source[c])];
    }),
  );

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
  await insertRows(
    manager,
    'report_findings',
    ['reportId', 'code', 'scope', 'leftKeys', 'rightKeys', 'left_value', 'right_value', 'difference', 'message'],
    findings.map((f) => [reportId, f.code, f.scope, JSON.stringify(f.leftKeys), JSON.stringify(f.rightKeys), f.left, f.right, f.difference, f.message]),
  );
  await restoreResolutions(manager, reportId, resolutions);

  const revision = await manager.save(
    manager.create(ReportRevision, {
      reportId,
      number: (previousRevision?.number ?? 0) + 1,
      contentHash: hash,
      origin: options.origin,
      author: options.author ?? null,
      readingStatus: content.readingStatus ?? null,
    }),
  );
  const chunks = splitChunks(contentJson(content), CHUNK_CHARACTERS).map((text, seq) => ({ revisionId: revision.id, part: 'content', seq, text }));
  if (options.sourceText) {
    chunks.push(...splitChunks(options.sourceText, CHUNK_CHARACTERS).map((text, seq) => ({ revisionId: revision.id, part: 'source', seq, text })));
  }
  if (options.normalisedText && options.normalisedText !== options.sourceText) {
    chunks.push(...splitChunks(options.normalisedText, CHUNK_CHARACTERS).map((text, seq) => ({ revisionId: revision.id, part: 'normalised', seq, text })));
  }
  await insertRows(manager, 'report_revision_chunks', ['revisionId', 'part', 'seq', 'text'], chunks.map((c) => [c.revisionId, c.part, c.seq, c.text]));
  if (outcome === 'revised' && options.origin !== 'correction') await reopenReview(manager, report, await revisionContent(manager, previousRevision), content, revision.number, options.origin);
  return { report, outcome, revision, previousRevision };
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

/** A revision's stored content (its JSON chunks), or null. */
export async function revisionContent(manager: EntityManager, revision: ReportRevision | null): Promise<ReportContent | null> {
  if (!revision) return null;
  const text = await revisionText(manager, revision.id, 'content');
  return text === null ? null : (JSON.parse(text) as ReportContent);
}

export async function revisionText(manager: EntityManager, revisionId: number, part: 'content' | 'source' | 'normalised'): Promise<string | null> {
  const rows = await manager.find(ReportRevisionChunk, { where: { revisionId, part }, order: { seq: 'ASC' } });
  return rows.length ? rows.map((r) => r.text).join('') : null;
}
