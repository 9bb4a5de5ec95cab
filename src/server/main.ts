import 'reflect-metadata';
import { loadConfig } from '../config/config';
import { createApp } from './app';

async function main(): Promise<void> {
  const config = loadConfig();
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
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
