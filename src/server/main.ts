import 'reflect-metadata';
import { loadConfig, type AppConfig } from '../config/config';
import { assertPortFree, explainStartupError } from '../config/startup-errors';
import { createApp } from './app';

let config: AppConfig | undefined;

async function main(): Promise<void> {
  config = loadConfig();
  // Before migrations and the sample load, so a busy port fails at once and says so.
  await assertPortFree(config.port, config.host);
  const app = await createApp(config);
  const port = await app.listen();
  app.log.info({ port, database: config.database.type }, `disclosure-graph listening on http://localhost:${port}/graphql`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    app.close().then(
      () => {
        app.log.info('stopped: in-flight requests finished, database pool closed');
        app.log.flush(() => process.exit(0));
        // A log sink that cannot take the last line (a closed pipe) must not keep the process up.
        setTimeout(() => process.exit(0), 1000).unref();
      },
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(explainStartupError(error, config?.database, config?.port) ?? (error instanceof Error ? error.message : error));
  process.exit(1);
});
