import DataLoader from 'dataloader';
import { batchOptions, groupByKey } from '../common/batching';
import { In, type DataSource } from 'typeorm';
import { findByColumnIn } from '../db/entity-reads';
import { OfficeAlias } from './office-alias.entity';
import { Office } from './office.entity';

/** Per-request loaders for offices: one `IN` query per batch, results in key order. */
export function createOfficeLoaders(dataSource: DataSource) {
  const repo = dataSource.getRepository(Office);
  return {
    officeById: new DataLoader<number, Office | null>(async (ids) => {
      // A comparison's page loads up to a whole city's offices in one batch.
      const rows = await findByColumnIn(dataSource, Office, 'id', ids);
      const byId = new Map(rows.map((o) => [o.id, o]));
      return ids.map((id) => byId.get(id) ?? null);
    }, batchOptions()),
    officeByCode: new DataLoader<string, Office | null>(async (codes) => {
      const rows = await findByColumnIn(dataSource, Office, 'code', codes);
      const byCode = new Map(rows.map((o) => [o.code, o]));
      return codes.map((code) => byCode.get(code) ?? null);
    }, batchOptions()),
    childrenByParentId: new DataLoader<number, Office[]>(async (ids) => {
      const rows = await repo.find({ where: { parentId: In([...ids]) }, order: { code: 'ASC' } });
      return groupByKey(ids, rows, (r) => r.parentId!);
    }, batchOptions()),
    aliasesByOfficeId: new DataLoader<number, OfficeAlias[]>(async (ids) => {
      const rows = await dataSource.getRepository(OfficeAlias).find({ where: { officeId: In([...ids]) }, order: { alias: 'ASC' } });
      return groupByKey(ids, rows, (r) => r.officeId);
    }, batchOptions()),
  };
}
