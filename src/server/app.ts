import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';
import { createAnalysisCache } from '../analysis/cache';
import { registerExportRoutes } from '../assessment/export.routes';
import { loadRubric } from '../assessment/rubric';
import { createDataSource, migrate } from '../db/data-source';
import { currentStatementScope, enterStatementScope } from '../db/query-stats';
import { Office } from '../offices/office.entity';
import { loadSampleIfEmpty } from '../sample/load-sample';
import { mountDashboard } from './dashboard';
import { createRequestContext, createServices, type RequestContext, type Services } from './context';
import { formatError } from './format-error';
import { createLogger } from './logger';
import { getSchema } from './schema';

export interface App {
  readonly app: express.Express;
  readonly httpServer: http.Server;
  readonly apollo: ApolloServer<RequestContext>;
  readonly dataSource: DataSource;
  readonly services: Services;
  readonly log: Logger;
  /** Starts listening; resolves with the bound port. */
  listen(port?: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

/** Reports the request id and, outside production, the SQL statements the request ran. */
function requestInfoPlugin(production: boolean): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== 'single') return;
          const extensions: Record<string, unknown> = { ...response.body.singleResult.extensions, requestId: contextValue.requestId };
          const scope = currentStatementScope();
          if (!production && scope) extensions.sqlStatements = scope.count;
          response.body.singleResult.extensions = extensions;
        },
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            if (!error.extensions?.code || error.extensions.code === 'INTERNAL_SERVER_ERROR') contextValue.log.error({ err: error.originalError ?? error }, 'request failed');
          }
        },
      };
    },
  };
}

export async function createApp(config: AppConfig, options: { log?: Logger; dataSource?: DataSource } = {}): Promise<App> {
  const log = options.log ?? createLogger(config.logLevel);
  const dataSource = options.dataSource ?? (await createDataSource(config.database, log));
  const ran = await migrate(dataSource);
  if (ran.length > 0) log.info({ migrations: ran }, 'migrations applied');
  const cache = await createAnalysisCache(config.redisUrl, undefined, config.analysisCache !== false);
  const services = createServices(dataSource, cache, loadRubric(config.rubricFile));
  if (config.loadSample && (await loadSampleIfEmpty(services, () => dataSource.getRepository(Office).count()))) {
    log.info('empty database: loaded the Jingyuan 2020 sample report');
  }

  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<RequestContext>({
    schema: await getSchema(),
    introspection: true,
    includeStacktraceInErrorResponses: !config.production,
    formatError: (formatted, error) => formatError(formatted, error, (original) => log.error({ err: original }, 'unexpected error')),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), requestInfoPlugin(config.production)],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  registerExportRoutes(app, services);
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].slice(0, 64)) || randomUUID();
        res.setHeader('x-request-id', requestId);
        // Statements the request runs, DataLoader batches included, count against this scope.
        enterStatementScope({ count: 0 });
        return createRequestContext(dataSource, services, log, requestId);
      },
    }),
  );
  mountDashboard(app);

  return {
    app,
    httpServer,
    apollo,
    dataSource,
    services,
    log,
    listen: (port = config.port, host = config.host) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    close: async () => {
      await apollo.stop();
      await cache.close();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      if (dataSource.isInitialized && !options.dataSource) await dataSource.destroy();
    },
  };
}
