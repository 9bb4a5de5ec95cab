import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/** API tokens (hashes only) and the audit log of every write. */
const id = (): TableColumnOptions => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
const int = (name: string): TableColumnOptions => ({ name, type: 'integer', isNullable: true });
const varchar = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const text = (name: string): TableColumnOptions => ({ name, type: 'text', isNullable: true });

export class AccessControl1764036200000 implements MigrationInterface {
  name = 'AccessControl1764036200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const types = queryRunner.connection.driver.mappedDataTypes;
    const created = (name: string): TableColumnOptions => ({ name, type: String(types.createDate), precision: types.createDatePrecision, default: types.createDateDefault, isNullable: false });
    await queryRunner.createTable(
      new Table({
        name: 'api_tokens',
        columns: [
          id(),
          varchar('name', 200),
          varchar('prefix', 16),
          varchar('hash', 64),
          varchar('role', 16),
          varchar('scopeOfficeCode', 64, true),
          varchar('createdBy', 200, true),
          created('createdAt'),
          { name: 'revokedAt', type: 'datetime', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'UQ_api_tokens_prefix', columnNames: ['prefix'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          id(),
          created('at'),
          varchar('actor', 200),
          varchar('role', 16),
          int('tokenId'),
          varchar('action', 40),
          varchar('targetType', 20),
          varchar('target', 200),
          varchar('requestId', 64, true),
          text('before'),
          text('after'),
          int('beforeRevisionId'),
          int('afterRevisionId'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_audit_log_target', columnNames: ['targetType', 'target'] }),
          new TableIndex({ name: 'IDX_audit_log_at', columnNames: ['at'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_log');
    await queryRunner.dropTable('api_tokens');
  }
}
