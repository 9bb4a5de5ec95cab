import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '../config/config';
import { explainStartupError } from '../config/startup-errors';
import { SCHEMA_FILE } from '../config/paths';
import { createDataSource, migrate } from '../db/data-source';
import { emitSchemaSDL } from '../server/schema';
import { registerCommands } from './commands';


const program = new Command();
program.name('disclosure-graph').description('政府信息公开工作年度报告 GraphQL service and tools');

program
  .command('serve')
  .description('serve the GraphQL API (same as npm start)')
  .action(async () => {
    await import('../server/main');
  });

program
  .command('migrate')
  .description('bring the database named by DATABASE_URL up to date')
  .action(async () => {
    const config = loadConfig();
    const dataSource = await createDataSource(config.database);
    const ran = await migrate(dataSource);
    console.log(ran.length ? `applied: ${ran.join(', ')}` : 'schema is up to date');
    await dataSource.destroy();
  });

program
  .command('emit-schema')
  .description('write the GraphQL SDL to schema/schema.graphql (--check: fail if it is stale)')
  .option('--check', 'compare instead of writing')
  .action(async (options: { check?: boolean }) => {
    const sdl = await emitSchemaSDL();
    if (options.check) {
      const current = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
      if (current !== sdl) {
        console.error('schema/schema.graphql is stale: run `npm run schema:emit` and commit it');
        process.exitCode = 1;
      }
      return;
    }
    fs.writeFileSync(SCHEMA_FILE, sdl);
    console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
  });

registerCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  let database;
  try {
    database = loadConfig().database;
  } catch {
    database = undefined;
  }
  console.error(explainStartupError(error, database) ?? (error instanceof Error ? error.message : error));
  process.exit(1);
});
