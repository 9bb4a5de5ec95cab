import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Comparisons read a few metrics of many offices in a year. An index on (year, metricKey,
 * officeId, value) answers them from the index alone, instead of one clustered-row lookup per
 * report — which, once metric_values outgrows MariaDB's buffer pool, is a disk read per report.
 * It supersedes (year, metricKey, officeId); (officeId, metricKey, year) served no query and
 * only slowed every report write.
 */
export class CoveringMetricIndex1764036300000 implements MigrationInterface {
  name = 'CoveringMetricIndex1764036300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('metric_values', new TableIndex({ name: 'IDX_metric_values_year_key_office_value', columnNames: ['year', 'metricKey', 'officeId', 'value'] }));
    await queryRunner.dropIndex('metric_values', 'IDX_metric_values_year_key_office');
    await queryRunner.dropIndex('metric_values', 'IDX_metric_values_office_key_year');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('metric_values', new TableIndex({ name: 'IDX_metric_values_office_key_year', columnNames: ['officeId', 'metricKey', 'year'] }));
    await queryRunner.createIndex('metric_values', new TableIndex({ name: 'IDX_metric_values_year_key_office', columnNames: ['year', 'metricKey', 'officeId'] }));
    await queryRunner.dropIndex('metric_values', 'IDX_metric_values_year_key_office_value');
  }
}
