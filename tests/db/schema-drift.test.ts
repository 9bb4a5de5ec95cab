import { describeEachDatabase } from '../support/databases';

describeEachDatabase('migrations', (db) => {
  it('produce exactly the schema the entities describe (no drift)', async () => {
    const sql = await db().dataSource.driver.createSchemaBuilder().log();
    const pending = sql.upQueries.map((q) => q.query);
    expect(pending).toEqual([]);
  });

  it('have all been applied', async () => {
    expect(await db().dataSource.showMigrations()).toBe(false);
  });
});
