/** The whole database's contents, to show that a refused or failed request changed nothing. */
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

export async function databaseSnapshot(dataSource: DataSource): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const meta of [...dataSource.entityMetadatas].sort((a, b) => a.tableName.localeCompare(b.tableName))) {
    const rows = await dataSource.query(`SELECT * FROM ${meta.tableName} ORDER BY 1`);
    out[meta.tableName] = `${(rows as unknown[]).length}:${createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16)}`;
  }
  return out;
}
