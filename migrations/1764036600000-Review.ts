import { Table, TableColumn, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const nullableVarchar = (name: string, length: number) => new TableColumn({ name, type: 'varchar', length: String(length), isNullable: true });
const nullableDatetime = (name: string) => new TableColumn({ name, type: 'datetime', isNullable: true });
const nullableText = (name: string) => new TableColumn({ name, type: 'text', isNullable: true });
const reportFk = (table: string) =>
  new TableForeignKey({ name: `FK_${table}_report`, columnNames: ['reportId'], referencedTableName: 'annual_reports', referencedColumnNames: ['id'], onDelete: 'CASCADE', onUpdate: 'RESTRICT' });

/**
 * Review and correction: each report's review state (who confirmed it and when, why it was
 * reopened), each finding's resolution, the corrections people made (kept across re-imports) and
 * the tables a reviewer accepted. Existing reports start `unreviewed`.
 */
export class Review1764036600000 implements MigrationInterface {
  name = 'Review1764036600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const types = queryRunner.connection.driver.mappedDataTypes;
    const created = (name: string): TableColumnOptions => ({ name, type: String(types.createDate), precision: types.createDatePrecision, default: types.createDateDefault, isNullable: false });
    await queryRunner.addColumns('annual_reports', [
      new TableColumn({ name: 'reviewState', type: 'varchar', length: '16', isNullable: false, default: "'unreviewed'" }),
      nullableVarchar('reviewedBy', 200),
      nullableDatetime('reviewedAt'),
      nullableText('reviewNote'),
    ]);
    await queryRunner.addColumns('report_findings', [nullableVarchar('resolution', 24), nullableVarchar('resolvedBy', 200), nullableDatetime('resolvedAt'), nullableText('resolutionNote')]);
    await queryRunner.createTable(
      new Table({
        name: 'metric_corrections',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'reportId', type: 'integer', isNullable: false },
          { name: 'metricKey', type: 'varchar', length: '96', isNullable: false },
          { name: 'value', type: 'decimal', precision: 20, scale: 4, isNullable: true },
          { name: 'readValue', type: 'decimal', precision: 20, scale: 4, isNullable: true },
          { name: 'conflictingValue', type: 'decimal', precision: 20, scale: 4, isNullable: true },
          { name: 'status', type: 'varchar', length: '16', isNullable: false },
          { name: 'reason', type: 'text', isNullable: false },
          { name: 'author', type: 'varchar', length: '200', isNullable: false },
          { name: 'revisionNumber', type: 'integer', isNullable: false },
          created('createdAt'),
        ],
        indices: [new TableIndex({ name: 'IDX_metric_corrections_report', columnNames: ['reportId', 'metricKey'] })],
        foreignKeys: [reportFk('metric_corrections')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'table_acceptances',
        columns: [
          { name: 'reportId', type: 'integer', isPrimary: true },
          { name: 'tableName', type: 'varchar', length: '16', isPrimary: true },
          { name: 'revisionNumber', type: 'integer', isNullable: false },
          { name: 'acceptedBy', type: 'varchar', length: '200', isNullable: false },
          created('acceptedAt'),
        ],
        foreignKeys: [reportFk('table_acceptances')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('table_acceptances');
    await queryRunner.dropTable('metric_corrections');
    await queryRunner.dropColumns('report_findings', ['resolutionNote', 'resolvedAt', 'resolvedBy', 'resolution']);
    await queryRunner.dropColumns('annual_reports', ['reviewNote', 'reviewedAt', 'reviewedBy', 'reviewState']);
  }
}
