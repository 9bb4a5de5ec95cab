/**
 * Query shape and cost limits.
 *
 * The shape (tokens, operations, aliases, depth) is checked on the raw document before Apollo
 * parses and validates it: a hostile document is refused before GraphQL's own validation, some of
 * whose rules grow faster than linearly with the document, ever sees it. The cost is checked once
 * the operation is resolved, with its variables: every field costs 1, and a list field multiplies
 * what is selected under it by its page size (`first`, capped like the resolvers cap it) or, for
 * lists without paging, by a fixed estimate.
 */
import type { ApolloServerPlugin } from '@apollo/server';
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
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../common/pagination';
import type { SecurityConfig } from '../config/config';
import { sendError } from './http-guards';

export const MAX_TOKENS = 20000;
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

export function queryCost(document: DocumentNode, schema: Parameters<typeof getComplexity>[0]['schema'], variables?: Record<string, unknown>, operationName?: string): number {
  return getComplexity({ schema, query: document, variables, operationName, estimators: [listCost] });
}

/** Refuses operations whose cost is over the limit, before any resolver runs. */
export function queryCostPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operationName }) {
          let cost: number;
          try {
            cost = queryCost(document, schema, request.variables, operationName ?? undefined);
          } catch {
            // Variables that do not fit their types: execution refuses them with BAD_USER_INPUT
            // before any resolver runs, so there is nothing to cost.
            return;
          }
          if (cost > maxCost) {
            throw new GraphQLError(`Query costs ${cost} points; at most ${maxCost} allowed. Ask for fewer fields or smaller pages (first).`, {
              extensions: { code: 'QUERY_TOO_COMPLEX', cost, maxCost, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
