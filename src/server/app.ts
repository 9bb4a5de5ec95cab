import http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { DocumentNode } from 'graphql';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { DEFAULT_UPLOADS, type AppConfig } from '../config/config';
import { SubtreeCounts } from '../analysis/analysis-cost';
import { createAnalysisCache } from '../analysis/cache';
import { registerExportRoutes } from '../assessment/export.routes';
import { registerAnalysisExportRoutes } from '../exports/export.routes';
import { loadRubric } from '../assessment/rubric';
import { JwtVerifier } from '../auth/jwt';
import { DEFAULT_PARSE_POOL, ParsePool } from '../ingest/parse-pool';
import { Role } from '../auth/roles';
import { ANONYMOUS } from '../auth/viewer';
import { createDataSource, migrate } from '../db/data-source';
import { registerImportRoutes } from '../ingest/import.routes';
import { currentStatementScope, enterStatementScope } from '../db/query-stats';
import { createCausalStore, enterConsistencyScope, newConsistencyScope, runInConsistencyScope, type CausalStore } from '../db/consistency';
import { replicaRouterOf } from '../db/replication';
import { limitStatementTime } from '../db/statement-limits';
import { Office } from '../offices/office.entity';
import { loadSampleIfEmpty } from '../sample/load-sample';
import { mountDashboard, mountExplorer } from './dashboard';
import { createRequestContext, createServices, type RequestContext, type Services } from './context';
import { formatError } from './format-error';
import { liveness, readiness } from './health';
import { ClientConcurrency } from './client-concurrency';
import { allOf, authenticate, jsonErrors, rateLimits, requestSignal, requestTimeout, requireRole, viewerOf } from './http-guards';
import { DOCUMENT_STORE_BYTES, queryCostPlugin, queryShapeGuard, MAX_TOKENS } from './limits';
import { createLogger } from './logger';
import { bindRequestId, currentRequestId, requestIdMiddleware } from './request-id';
import { localSchemaGateway } from './executor';
import { getSchema } from './schema';

export interface App {
  readonly app: express.Express;
  readonly httpServer: http.Server;
  readonly apollo: ApolloServer<RequestContext>;
  readonly dataSource: DataSource;
  readonly services: Services;
  readonly log: Logger;
  /** Analyses in flight per client, shared by /graphql and the analysis exports. */
  readonly analysisInFlight: ClientConcurrency;
  /** Starts listening; resolves with the bound port. */
  listen(port?: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * Reports the request id and, outside production, the SQL statements the request ran. A request
 * that got nothing because the database is down answers 503 with Retry-After.
 */
function requestInfoPlugin(reportStatementCounts: boolean): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (!data && errors?.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) {
            response.http.status = 503;
            response.http.headers.set('retry-after', '5');
          }
          const extensions: Record<string, unknown> = { ...response.body.singleResult.extensions, requestId: contextValue.requestId };
          const scope = currentStatementScope();
          if (reportStatementCounts && scope) extensions.sqlStatements = scope.count;
          response.body.singleResult.extensions = extensions;
        },
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (!code || code === 'INTERNAL_SERVER_ERROR') contextValue.log.error({ err: error.originalError ?? error }, 'request failed');
            // Refusals leave no audit entry (nothing was written): the log is their record.
            else if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') contextValue.log.warn({ code, path: error.path, role: contextValue.viewer.role }, `access refused: ${error.message}`);
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
  const cache = await createAnalysisCache(config.redisUrl, config.cachePrefix, config.analysisCache !== false, log, true);
  const services = createServices(dataSource, cache, loadRubric(config.rubricFile), { parsePool: new ParsePool(config.parse ?? DEFAULT_PARSE_POOL), log });
  if (config.loadSample && (await loadSampleIfEmpty(services, () => dataSource.getRepository(Office).count()))) {
    log.info('empty database: loaded the Jingyuan 2020 sample report');
  }

  // With replicas, a client's own writes are remembered (in Redis, for every process) so that its
  // next reads wait for a replica to apply them or go to the primary (src/db/consistency.ts).
  const replicas = replicaRouterOf(dataSource);
  const causal: CausalStore | null = replicas ? await createCausalStore(config.redisUrl, config.cachePrefix ?? 'dg:', log) : null;
  /** The request's consistency scope, with the client's last write looked up (only with replicas). */
  const consistencyScope = async (client: string) => {
    const scope = newConsistencyScope(client, causal);
    if (causal) scope.readAfter = await causal.lastWrite(client);
    return scope;
  };

  const security = config.security;
  // Subtree sizes price analysis requests; an office change here forgets them at once.
  const subtreeCounts = new SubtreeCounts(dataSource);
  services.events.onOfficeChanged(() => subtreeCounts.forget());
  // No statement outlives the request that started it.
  limitStatementTime(dataSource, security.requestTimeoutMs, log);
  const jwt = security.jwt ? new JwtVerifier(security.jwt) : null;
  const limits = rateLimits(security.rateLimit, log);
  // One count of analyses in flight per client, for /graphql and the analysis exports alike.
  const analysisInFlight = new ClientConcurrency(security.maxAnalysisInFlight);

  const app = express();
  app.disable('x-powered-by');
  // No ETags on answers: a GraphQL POST is never revalidated, and hashing a whole-city answer
  // (1.2 MB) cost a few ms per request. The dashboard's static files keep serve-static's own.
  app.set('etag', false);
  if (security.trustProxy) app.set('trust proxy', security.trustProxy);
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<RequestContext>({
    // Executed by graphql-jit (executor.ts): the schema is served through Apollo's gateway interface.
    gateway: localSchemaGateway(await getSchema()),
    introspection: !config.production || security.introspection,
    includeStacktraceInErrorResponses: !config.production,
    // "Did you mean …?" would spell out the schema that turning introspection off hides.
    hideSchemaDetailsFromClientErrors: config.production,
    // Explicit although it is Apollo 5's default: a browser's simple cross-site request is refused.
    csrfPrevention: true,
    // main.ts owns SIGTERM/SIGINT: it finishes in-flight requests and closes the pool, then exits.
    stopOnTerminationSignals: false,
    parseOptions: { maxTokens: MAX_TOKENS },
    // Parsed and validated documents by query text. Apollo's default keeps 30 MiB of them by their
    // JSON size, several times that in heap (tokens, locations, the text): a client sending unique
    // query texts filled the 192 MB heap with them. 4 MiB holds hundreds of distinct queries.
    documentStore: new InMemoryLRUCache<DocumentNode>({ maxSize: DOCUMENT_STORE_BYTES }),
    formatError: (formatted, error) => {
      const requestId = currentRequestId();
      return formatError(formatted, error, (original) => log.error({ err: original, requestId }, 'unexpected error'), requestId, { hideSchemaDetails: config.production });
    },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // No field declares a cache hint; the default plugin would still wrap every field's resolver.
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's landing pages load from a CDN, which an intranet cannot reach; ours is bundled (mountExplorer).
      ApolloServerPluginLandingPageDisabled(),
      requestInfoPlugin(config.reportStatementCounts ?? !config.production),
      queryCostPlugin(security.maxCost, { subtreeSizes: (codes, offices) => subtreeCounts.sizes(codes, offices), concurrency: analysisInFlight }),
    ],
  });
  await apollo.start();

  app.use(requestIdMiddleware);
  app.get('/healthz', liveness);
  app.get('/readyz', readiness(dataSource, replicas));
  // Downloads need the same credentials, limits and the analyst role; no time limit, they stream.
  registerExportRoutes(app, services, allOf(limits.byAddress, authenticate(services.tokens, jwt, log), limits.byToken, requireRole(Role.ANALYST, security.publicAccess)));
  // Analyses and report tables as files: the GraphQL queries' access (public where they are public), cost and concurrency limits.
  registerAnalysisExportRoutes(
    app,
    services,
    dataSource,
    { maxCost: security.maxCost, concurrency: analysisInFlight },
    allOf(limits.byAddress, authenticate(services.tokens, jwt, log), limits.byToken, requireRole(Role.PUBLIC, security.publicAccess)),
  );
  if (config.explorer ?? !config.production) mountExplorer(app);
  // Uploads: editors and above, the same credentials and limits; no time limit (a large upload is slow to arrive).
  const withConsistency: express.RequestHandler = (req, res, next) => {
    const viewer = viewerOf(res) ?? ANONYMOUS;
    const client = viewer.subject === ANONYMOUS.subject ? `address:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}` : viewer.subject;
    consistencyScope(client).then((scope) => runInConsistencyScope(scope, next), next);
  };
  registerImportRoutes(
    app,
    services,
    allOf(limits.byAddress, authenticate(services.tokens, jwt, log), limits.byToken, requireRole(Role.EDITOR, security.publicAccess), withConsistency),
    config.uploads ?? DEFAULT_UPLOADS,
    log,
  );
  app.use(
    '/graphql',
    requestTimeout(security.requestTimeoutMs),
    limits.byAddress,
    authenticate(services.tokens, jwt, log),
    limits.byToken,
    express.json({ limit: '1mb' }),
    queryShapeGuard(security),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = String(res.locals.requestId);
        bindRequestId(requestId);
        // Statements the request runs, DataLoader batches included, count against this scope.
        enterStatementScope({ count: 0 });
        const context = createRequestContext(dataSource, services, log, requestId, {
          viewer: viewerOf(res),
          publicAccess: security.publicAccess,
          signal: requestSignal(res),
          address: req.ip ?? req.socket.remoteAddress,
        });
        // Entered before the first await, like the statement scope, so that the resolvers run in it.
        const scope = newConsistencyScope(context.client, causal);
        enterConsistencyScope(scope);
        if (causal) scope.readAfter = await causal.lastWrite(context.client);
        return context;
      },
    }),
  );
  mountDashboard(app);
  app.use(jsonErrors(log));

  return {
    app,
    httpServer,
    apollo,
    dataSource,
    services,
    log,
    analysisInFlight,
    listen: (port = config.port, host = config.host) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          // A served process will be asked for analyses: its reader threads start now, not on the first visit.
          services.analysis.warm();
          const address = httpServer.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    close: async () => {
      await apollo.stop();
      await limits.close();
      await cache.close();
      await causal?.close();
      await services.parsePool.close();
      await services.analysis.close();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      if (dataSource.isInitialized && !options.dataSource) await dataSource.destroy();
    },
  };
}
