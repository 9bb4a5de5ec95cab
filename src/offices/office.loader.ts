import DataLoader from 'dataloader';
import { batchOptions, groupByKey } from '../common/batching';
import { In, type DataSource } from 'typeorm';
import { OfficeAlias } from './office-alias.entity';
import { Office } from './office.entity';

/** Per-request loaders for offices: one `IN` query per batch, results in key order. */
export function createOfficeLoaders(dataSource: DataSource) {
  const repo = dataSource.getRepository(Office);
  return {
    officeById: new DataLoader<number, Office | null>(async (ids) => {
      const rows = await repo.findBy({ id: In([...ids]) });
      const byId = new Map(rows.map((o) => [o.id, o]));
      return ids.map((id) => byId.get(id) ?? null);
    }, batchOptions()),
    officeByCode: new DataLoader<string, Office | null>(async (codes) => {
      const rows = await repo.findBy({ code: In([...codes]) });
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
