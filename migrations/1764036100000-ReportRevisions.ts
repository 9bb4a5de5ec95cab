import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Report revisions: every version a report has had, with its content and source text. */
export class ReportRevisions1764036100000 implements MigrationInterface {
  name = 'ReportRevisions1764036100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const types = queryRunner.connection.driver.mappedDataTypes;
    await queryRunner.createTable(
      new Table({
        name: 'report_revisions',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'reportId', type: 'integer' },
          { name: 'number', type: 'integer' },
          { name: 'contentHash', type: 'varchar', length: '64' },
          { name: 'origin', type: 'varchar', length: '16' },
          { name: 'author', type: 'varchar', length: '200', isNullable: true },
          { name: 'createdAt', type: String(types.createDate), precision: types.createDatePrecision, default: types.createDateDefault },
        ],
        indices: [new TableIndex({ name: 'UQ_report_revisions_report_number', columnNames: ['reportId', 'number'], isUnique: true })],
        foreignKeys: [
          new TableForeignKey({ name: 'FK_report_revisions_report', columnNames: ['reportId'], referencedTableName: 'annual_reports', referencedColumnNames: ['id'], onDelete: 'CASCADE', onUpdate: 'RESTRICT' }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'report_revision_chunks',
        columns: [
          { name: 'revisionId', type: 'integer', isPrimary: true },
          { name: 'part', type: 'varchar', length: '16', isPrimary: true },
          { name: 'seq', type: 'integer', isPrimary: true },
          { name: 'text', type: 'text' },
        ],
        foreignKeys: [
          new TableForeignKey({ name: 'FK_report_revision_chunks_revision', columnNames: ['revisionId'], referencedTableName: 'report_revisions', referencedColumnNames: ['id'], onDelete: 'CASCADE', onUpdate: 'RESTRICT' }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('report_revision_chunks');
    await queryRunner.dropTable('report_revisions');
  }
}
