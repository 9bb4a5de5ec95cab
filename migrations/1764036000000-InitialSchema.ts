import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/**
 * The first schema, written once with TypeORM's Table API so that it runs on MySQL 8, MariaDB
 * and SQLite alike. A test compares the migrated schema with the entities on SQLite and MariaDB.
 */

const id = (): TableColumnOptions => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable: nullable });
const varchar = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const text = (name: string, nullable = true): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const decimal = (name: string): TableColumnOptions => ({ name, type: 'decimal', precision: 20, scale: 4, isNullable: false });
const bool = (name: string): TableColumnOptions => ({ name, type: 'boolean', isNullable: false, default: 0 });

/** Created/updated timestamps in each driver's own type and default, as the entities declare them. */
function timestamps(queryRunner: QueryRunner): TableColumnOptions[] {
  const driver = queryRunner.connection.driver;
  const types = driver.mappedDataTypes;
  const precision = types.createDatePrecision;
  return [
    { name: 'createdAt', type: String(types.createDate), precision, default: types.createDateDefault, isNullable: false },
    {
      name: 'updatedAt',
      type: String(types.updateDate),
      precision: types.updateDatePrecision,
      default: types.updateDateDefault,
      onUpdate: driver.options.type === 'mysql' || driver.options.type === 'mariadb' ? String(types.updateDateDefault) : undefined,
      isNullable: false,
    },
  ];
}

const fk = (name: string, column: string, table: string, onDelete: 'CASCADE' | 'RESTRICT', refColumn = 'id') =>
  new TableForeignKey({ name, columnNames: [column], referencedTableName: table, referencedColumnNames: [refColumn], onDelete, onUpdate: 'RESTRICT' });

export class InitialSchema1764036000000 implements MigrationInterface {
  name = 'InitialSchema1764036000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'offices',
        columns: [id(), varchar('code', 64), varchar('name', 200), varchar('kind', 32), int('parentId', true), varchar('region', 200, true), varchar('path', 255), int('depth'), ...timestamps(queryRunner)],
        indices: [
          new TableIndex({ name: 'UQ_offices_code', columnNames: ['code'], isUnique: true }),
          new TableIndex({ name: 'IDX_offices_path', columnNames: ['path'] }),
          new TableIndex({ name: 'IDX_offices_parent', columnNames: ['parentId'] }),
        ],
        foreignKeys: [fk('FK_offices_parent', 'parentId', 'offices', 'RESTRICT')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'reporting_years',
        columns: [{ name: 'year', type: 'integer', isPrimary: true }, varchar('templateFormat', 4), varchar('deadline', 10)],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'annual_reports',
        columns: [
          id(),
          int('officeId'),
          int('year'),
          varchar('templateFormat', 4),
          varchar('title', 300, true),
          varchar('publishedAt', 10, true),
          varchar('sourceUrl', 1000, true),
          text('overview'),
          text('problems'),
          text('improvements'),
          text('otherMatters'),
          varchar('contact', 500, true),
          ...timestamps(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'UQ_annual_reports_office_year', columnNames: ['officeId', 'year'], isUnique: true }),
          new TableIndex({ name: 'IDX_annual_reports_year', columnNames: ['year'] }),
        ],
        foreignKeys: [fk('FK_annual_reports_office', 'officeId', 'offices', 'RESTRICT'), fk('FK_annual_reports_year', 'year', 'reporting_years', 'RESTRICT', 'year')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'metric_values',
        columns: [
          { name: 'reportId', type: 'integer', isPrimary: true },
          { name: 'metricKey', type: 'varchar', length: '96', isPrimary: true },
          int('officeId'),
          int('year'),
          decimal('value'),
          bool('approximate'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_metric_values_year_key_office', columnNames: ['year', 'metricKey', 'officeId'] }),
          new TableIndex({ name: 'IDX_metric_values_office_key_year', columnNames: ['officeId', 'metricKey', 'year'] }),
        ],
        foreignKeys: [fk('FK_metric_values_report', 'reportId', 'annual_reports', 'CASCADE')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'report_findings',
        columns: [
          id(),
          int('reportId'),
          varchar('code', 32),
          varchar('scope', 96),
          { name: 'leftKeys', type: 'text', isNullable: false },
          { name: 'rightKeys', type: 'text', isNullable: false },
          decimal('left_value'),
          decimal('right_value'),
          decimal('difference'),
          text('message', false),
        ],
        indices: [new TableIndex({ name: 'IDX_report_findings_report', columnNames: ['reportId'] })],
        foreignKeys: [fk('FK_report_findings_report', 'reportId', 'annual_reports', 'CASCADE')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'disclosure_channels',
        columns: [id(), int('officeId'), varchar('kind', 32), { ...varchar('name', 200), default: "''" }, varchar('url', 500, true)],
        indices: [new TableIndex({ name: 'UQ_disclosure_channels_office_kind_name', columnNames: ['officeId', 'kind', 'name'], isUnique: true })],
        foreignKeys: [fk('FK_disclosure_channels_office', 'officeId', 'offices', 'RESTRICT')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'channel_activities',
        columns: [id(), int('reportId'), int('channelId'), int('items', true), int('devices', true), int('queries', true), bool('approximate')],
        indices: [
          new TableIndex({ name: 'UQ_channel_activities_report_channel', columnNames: ['reportId', 'channelId'], isUnique: true }),
          new TableIndex({ name: 'IDX_channel_activities_channel', columnNames: ['channelId'] }),
        ],
        foreignKeys: [
          fk('FK_channel_activities_report', 'reportId', 'annual_reports', 'CASCADE'),
          fk('FK_channel_activities_channel', 'channelId', 'disclosure_channels', 'CASCADE'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['channel_activities', 'disclosure_channels', 'report_findings', 'metric_values', 'annual_reports', 'reporting_years', 'offices']) {
      await queryRunner.dropTable(table);
    }
  }
}
