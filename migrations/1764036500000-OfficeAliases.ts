import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Other names of an office (old names, long forms), matched when a report's title names it. */
export class OfficeAliases1764036500000 implements MigrationInterface {
  name = 'OfficeAliases1764036500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'office_aliases',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'officeId', type: 'integer', isNullable: false },
          { name: 'alias', type: 'varchar', length: '200', isNullable: false },
        ],
        indices: [
          new TableIndex({ name: 'UQ_office_aliases_office_alias', columnNames: ['officeId', 'alias'], isUnique: true }),
          new TableIndex({ name: 'IDX_office_aliases_alias', columnNames: ['alias'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_office_aliases_office',
            columnNames: ['officeId'],
            referencedTableName: 'offices',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'RESTRICT',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('office_aliases');
  }
}
