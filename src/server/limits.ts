/**
 * Query shape and cost limits.
 *
 * The shape (tokens, operations, aliases, depth) is checked on the raw document before Apollo
 * parses and validates it: a hostile document is refused before GraphQL's own validation, some of
 * whose rules grow faster than linearly with the document, ever sees it. The cost is checked once
 * the operation is resolved, with its variables: every field costs 1, and a list field multiplies
 * what is selected under it by its page size (`first`, capped like the resolvers cap it) or, for
 * lists without paging, by a fixed estimate. An analysis field adds the work it will do (stored
 * keys × years × offices, src/analysis/analysis-cost.ts), with its subtree measured first, and
 * compareOffices its page's rows (capped by the viewer's role); and a
 * client runs only so many analysis operations at once (src/server/client-concurrency.ts).
 */
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isLeafType,
  isListType,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { analysisPoints, analysisWork, comparePagePoints, isAnalysisField, scopeCodesOf } from '../analysis/analysis-cost';
import { Role, type RoleName } from '../auth/roles';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../common/pagination';
import type { SecurityConfig } from '../config/config';
import type { ClientConcurrency } from './client-concurrency';
import type { RequestContext } from './context';
import { sendError } from './http-guards';
import type { OfficesByCode } from '../offices/office-lookup';

export const MAX_TOKENS = 20000;

/** Apollo's store of parsed and validated documents, in bytes of their JSON (app.ts says why it is small). */
export const DOCUMENT_STORE_BYTES = 4 * 2 ** 20;
/** Lists without a `first` argument (an office's children, a report's rows…) are costed as this long. */
export const UNPAGED_LIST_ESTIMATE = 10;

export type ShapeLimits = Pick<SecurityConfig, 'maxDepth' | 'maxAliases' | 'maxOperations'>;

export interface Shape {
  operations: number;
  aliases: number;
  depth: number;
}

/** Depth counts nested selection sets, through fragments; a fragment cycle counts as too deep. */
export function measureShape(document: DocumentNode): Shape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let aliases = 0;
  let operations = 0;
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) operations += 1;
    if (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) aliases += countAliases(d.selectionSet);
  }
  const depthOf = (set: SelectionSetNode, visiting: Set<string>): number => {
    let deepest = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) deepest = Math.max(deepest, s.selectionSet ? 1 + depthOf(s.selectionSet, visiting) : 1);
      else if (s.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depthOf(s.selectionSet, visiting));
      else {
        const fragment = fragments.get(s.name.value);
        if (!fragment) continue;
        if (visiting.has(fragment.name.value)) return Number.POSITIVE_INFINITY;
        visiting.add(fragment.name.value);
        deepest = Math.max(deepest, depthOf(fragment.selectionSet, visiting));
        visiting.delete(fragment.name.value);
      }
    }
    return deepest;
  };
  let depth = 0;
  for (const d of document.definitions) if (d.kind === Kind.OPERATION_DEFINITION) depth = Math.max(depth, depthOf(d.selectionSet, new Set()));
  return { operations, aliases, depth };
}

function countAliases(set: SelectionSetNode): number {
  let n = 0;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD && s.alias) n += 1;
    if ((s.kind === Kind.FIELD || s.kind === Kind.INLINE_FRAGMENT) && s.selectionSet) n += countAliases(s.selectionSet);
  }
  return n;
}

/** The first limit the document breaks, as a message; null when it keeps all of them. */
export function shapeProblem(query: string, limits: ShapeLimits): string | null {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: MAX_TOKENS, noLocation: true });
  } catch (error) {
    const message = (error as Error).message;
    // Syntax errors are Apollo's to report (GRAPHQL_PARSE_FAILED); only the token cap is ours.
    return /more th[ae]t? \d+ tokens/i.test(message) ? `Query has more than ${MAX_TOKENS} tokens.` : null;
  }
  const shape = measureShape(document);
  if (shape.operations > limits.maxOperations) return `Document has ${shape.operations} operations; at most ${limits.maxOperations} allowed.`;
  if (shape.aliases > limits.maxAliases) return `Query uses ${shape.aliases} aliases; at most ${limits.maxAliases} allowed.`;
  if (shape.depth > limits.maxDepth) return `Query is nested ${Number.isFinite(shape.depth) ? shape.depth : 'infinitely'} levels deep; at most ${limits.maxDepth} allowed.`;
  return null;
}

/** Express middleware for /graphql (after body parsing): refuses over-limit documents with 400. */
export function queryShapeGuard(limits: ShapeLimits): RequestHandler {
  return (req, res, next) => {
    const body = req.body as { query?: unknown } | undefined;
    const query = req.method === 'GET' ? req.query.query : body?.query;
    if (typeof query !== 'string') return next();
    const problem = shapeProblem(query, limits);
    if (problem) return sendError(res, 400, 'QUERY_TOO_COMPLEX', problem);
    next();
  };
}

const listCost: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const fieldType = getNullableType(field.type);
  const named = getNamedType(field.type);
  const first = typeof args.first === 'number' && args.first > 0 ? Math.min(args.first, MAX_PAGE_SIZE) : null;
  if (named.name.endsWith('Connection') && !isListType(fieldType)) return 1 + (first ?? DEFAULT_PAGE_SIZE) * childComplexity;
  // A list of scalars is one value on the wire; a connection's edges are its page, already counted.
  if (!isListType(fieldType) || isLeafType(named)) return 1 + childComplexity;
  if (type.name.endsWith('Connection')) return 1 + childComplexity;
  const requested = Array.isArray(args.keys) ? args.keys.length : null;
  return 1 + (first ?? requested ?? UNPAGED_LIST_ESTIMATE) * childComplexity;
};

/** Office counts of the subtrees an operation's analysis fields name (see `analysisScopes`). */
export type SubtreeSizes = ReadonlyMap<string, number>;

const analysisCost =
  (sizes: SubtreeSizes, role: RoleName): ComplexityEstimator =>
  (options) => {
    const base = listCost(options) as number;
    if (options.type.name !== 'Query' || !isAnalysisField(options.field.name)) return base;
    const page = options.field.name === 'compareOffices' ? comparePagePoints(options.args, role) : 0;
    return base + page + analysisPoints(analysisWork(options.field.name, options.args, (code) => sizes.get(code) ?? 0));
  };

type CostSchema = Parameters<typeof getComplexity>[0]['schema'];

export function queryCost(document: DocumentNode, schema: CostSchema, variables?: Record<string, unknown>, operationName?: string, sizes: SubtreeSizes = new Map(), role: RoleName = Role.PUBLIC): number {
  return getComplexity({ schema, query: document, variables, operationName, estimators: [analysisCost(sizes, role)] });
}

/** The analysis fields the operation will run (through fragments, honouring @skip/@include), and the office codes whose subtrees they read. */
export function analysisScopes(document: DocumentNode, schema: CostSchema, variables?: Record<string, unknown>, operationName?: string): { fields: number; codes: string[] } {
  let fields = 0;
  const codes: string[] = [];
  const record: ComplexityEstimator = ({ type, field, args }) => {
    if (type.name === 'Query' && isAnalysisField(field.name)) {
      fields += 1;
      codes.push(...scopeCodesOf(field.name, args));
    }
    return 0;
  };
  getComplexity({ schema, query: document, variables, operationName, estimators: [record] });
  return { fields, codes };
}

export interface AnalysisGuard {
  /** Measures the subtrees before anything runs. */
  subtreeSizes(codes: readonly string[], offices: OfficesByCode): Promise<SubtreeSizes>;
  /** Analysis operations in flight per client. */
  readonly concurrency: ClientConcurrency;
}

/**
 * Refuses operations whose cost is over the limit, before any resolver runs; with `analysis`, also
 * costs analysis fields by their work and holds the client to its analysis operations in flight
 * (429 with Retry-After beyond it), released when the response is ready.
 */
export function queryCostPlugin(maxCost: number, analysis?: AnalysisGuard): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      let held: (() => void) | null = null;
      return {
        async didResolveOperation({ request, document, schema, operationName, contextValue }) {
          const variables = request.variables;
          let scopes: { fields: number; codes: string[] };
          try {
            scopes = analysisScopes(document, schema, variables, operationName ?? undefined);
          } catch {
            // Variables that do not fit their types: execution refuses them with BAD_USER_INPUT
            // before any resolver runs, so there is nothing to cost.
            return;
          }
          const sizes = analysis && scopes.codes.length > 0 ? await analysis.subtreeSizes(scopes.codes, contextValue.loaders.officeByCode) : new Map<string, number>();
          const cost = queryCost(document, schema, variables, operationName ?? undefined, sizes, contextValue.viewer.role);
          if (cost > maxCost) {
            throw new GraphQLError(`Query costs ${cost} points; at most ${maxCost} allowed. Ask for fewer fields or smaller pages (first), or for fewer metrics, years or offices in analysis fields.`, {
              extensions: { code: 'QUERY_TOO_COMPLEX', cost, maxCost, http: { status: 400 } },
            });
          }
          if (!analysis || scopes.fields === 0) return;
          const client = contextValue.client;
          const limit = analysis.concurrency.limit;
          if (!analysis.concurrency.tryEnter(client)) {
            const retryAfter = analysis.concurrency.retryAfterSeconds;
            throw new GraphQLError(`Too many analysis requests at once from this client: at most ${limit} in flight; retry in ${retryAfter} s.`, {
              extensions: { code: 'RATE_LIMITED', limit, http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter)]]) } },
            });
          }
          held = () => analysis.concurrency.leave(client);
        },
        async willSendResponse() {
          held?.();
          held = null;
        },
      };
    },
  };
}
