import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

const nullableInt = (name: string) => new TableColumn({ name, type: 'integer', isNullable: true });
const nullableVarchar = (name: string, length: number) => new TableColumn({ name, type: 'varchar', length: String(length), isNullable: true });

/**
 * Provenance: each metric value's source (line and character span in the normalised text, the
 * reading method, the table cell) and each report's and revision's reading status. All nullable:
 * rows written before keep "not recorded". The covering index (year, metricKey, officeId, value)
 * is left as it is; the comparisons never read these columns.
 */
export class Provenance1764036413000 implements MigrationInterface {
  name = 'Provenance1764036413000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('metric_values', [
      nullableInt('sourceLine'),
      nullableInt('sourceStart'),
      nullableInt('sourceEnd'),
      nullableVarchar('sourceMethod', 16),
      nullableVarchar('sourceTable', 4),
      nullableVarchar('sourceRow', 200),
      nullableInt('sourceColumn'),
    ]);
    await queryRunner.addColumn('annual_reports', nullableVarchar('readingStatus', 24));
    await queryRunner.addColumn('report_revisions', nullableVarchar('readingStatus', 24));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('report_revisions', 'readingStatus');
    await queryRunner.dropColumn('annual_reports', 'readingStatus');
    await queryRunner.dropColumns('metric_values', ['sourceColumn', 'sourceRow', 'sourceTable', 'sourceMethod', 'sourceEnd', 'sourceStart', 'sourceLine']);
  }
}
