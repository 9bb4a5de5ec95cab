import DataLoader from 'dataloader';
import { batchOptions, groupByKey } from '../common/batching';
import { In, type DataSource } from 'typeorm';
import type { ReportContent } from './report-content';
import { ReportRevision, ReportRevisionChunk } from './report-revision.entity';

function chunkTextLoader(dataSource: DataSource, part: 'content' | 'source') {
  return new DataLoader<number, string | null>(async (revisionIds) => {
    const rows = await dataSource
      .getRepository(ReportRevisionChunk)
      .find({ where: { revisionId: In([...revisionIds]), part }, order: { revisionId: 'ASC', seq: 'ASC' } });
    const texts = new Map<number, string[]>();
    for (const row of rows) {
      const list = texts.get(row.revisionId) ?? [];
      list.push(row.text);
      texts.set(row.revisionId, list);
    }
    return revisionIds.map((id) => texts.get(id)?.join('') ?? null);
  }, batchOptions());
}

export function createRevisionLoaders(dataSource: DataSource) {
  const contentText = chunkTextLoader(dataSource, 'content');
  return {
    /** Newest first. */
    revisionsByReportId: new DataLoader<number, ReportRevision[]>(async (reportIds) => {
      const rows = await dataSource.getRepository(ReportRevision).find({ where: { reportId: In([...reportIds]) }, order: { number: 'DESC' } });
      return groupByKey(reportIds, rows, (r) => r.reportId);
    }, batchOptions()),
    revisionContent: new DataLoader<number, ReportContent | null>(async (revisionIds) => {
      const texts = await contentText.loadMany(revisionIds);
      return texts.map((t) => (typeof t === 'string' ? (JSON.parse(t) as ReportContent) : null));
    }, batchOptions()),
    revisionSource: chunkTextLoader(dataSource, 'source'),
    /** The text sources point into: the normalised text where it was kept, else the source text. */
    revisionReadingText: new DataLoader<number, string | null>(async (revisionIds) => {
      const rows = await dataSource
        .getRepository(ReportRevisionChunk)
        .find({ where: { revisionId: In([...revisionIds]), part: In(['normalised', 'source']) }, order: { revisionId: 'ASC', part: 'ASC', seq: 'ASC' } });
      const texts = new Map<string, string[]>();
      for (const row of rows) {
        const id = `${row.revisionId}:${row.part}`;
        texts.set(id, [...(texts.get(id) ?? []), row.text]);
      }
      return revisionIds.map((id) => (texts.get(`${id}:normalised`) ?? texts.get(`${id}:source`))?.join('') ?? null);
    }, batchOptions()),
  };
}
