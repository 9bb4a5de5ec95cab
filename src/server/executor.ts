/**
 * GraphQL execution compiled by graphql-jit: each query text that comes back is compiled once into
 * plain functions and run from then on, instead of graphql-js walking the query field by field
 * (a bounded number of them: CompiledOperations).
 *
 * Why: an analyst's whole-city comparison (2,000 rows × 3 metrics × 8 fields, ~60,000 fields)
 * spent three times as long in graphql-js's per-field machinery (paths, argument maps, promise
 * bookkeeping) as in its SQL; compiled, the same answer is built in a third of the time (measured
 * in-process on a cached group: 154 ms against 51 ms; bench/results/compare-all-rows.md). Small
 * operations gain little and lose nothing; compiling one costs ~2 ms, once per query text.
 *
 * Apollo Server 5 takes a custom executor only through its gateway interface (the `executor`
 * option went in v4; apollographql/apollo-server#7981): this "gateway" serves the one local schema.
 *
 * Compiled are the queries whose variables are scalars and enums (every analysis and lookup);
 * mutations, and operations with input-object variables, run on graphql-js: graphql-jit 0.8 does
 * not fill an input object's default field values from a variable (`channels: []` of
 * ReportInput arrived missing). Variables are checked by graphql-js first, so that a bad
 * variable's error (message, location, Apollo's 400 BAD_USER_INPUT) is exactly graphql-js's; an
 * operation graphql-jit cannot compile runs on graphql-js too.
 */
import type { GatewayExecutor, GatewayGraphQLRequestContext, GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import { execute, getNamedType, getOperationAST, GraphQLError, isLeafType, printSchema, typeFromAST, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';

export interface CompiledOperationLimits {
  /** Operations kept compiled at once (least recently used dropped): the dashboard uses a few dozen. */
  readonly maxCompiled: number;
  /** Times a query text is executed (on graphql-js) before it is compiled. */
  readonly sightingsBeforeCompile: number;
}

/**
 * A compiled operation holds ~0.2 MB of generated code and closures (a two-field rollup document),
 * and Apollo keeps parsed documents by the thousand: compiled per document, a client sending
 * unique query texts (the abuse load varies its rollups so that no cache answers them) grew the
 * heap ~20 MB per 100 texts until the server ran out of memory. So compiled operations are kept in
 * a bounded LRU, and a text is compiled only once it comes back: a one-off query runs on
 * graphql-js, and cannot evict the queries that repeat.
 */
export const COMPILED_OPERATION_LIMITS: CompiledOperationLimits = { maxCompiled: 100, sightingsBeforeCompile: 2 };

/** The compiled form of each repeated operation, by query text and operation name. */
export class CompiledOperations {
  private readonly compiled: LRUCache<string, { query: CompiledQuery | null }>;
  /** Texts seen fewer times than it takes to compile them, with how many times. */
  private readonly sightings = new LRUCache<string, number>({ max: 1000 });

  constructor(
    private readonly schema: GraphQLSchema,
    readonly limits: CompiledOperationLimits = COMPILED_OPERATION_LIMITS,
  ) {
    this.compiled = new LRUCache({ max: limits.maxCompiled });
  }

  /** Operations kept compiled now. */
  get size(): number {
    return this.compiled.size;
  }

  /** The operation compiled, or null: run it on graphql-js (not seen often enough yet, or not compilable). */
  compiledFor(key: string, document: DocumentNode, operationName: string | null): CompiledQuery | null {
    const kept = this.compiled.get(key);
    if (kept) return kept.query;
    const seen = (this.sightings.get(key) ?? 0) + 1;
    if (seen < this.limits.sightingsBeforeCompile) {
      this.sightings.set(key, seen);
      return null;
    }
    this.sightings.delete(key);
    const result = compileQuery(this.schema, document, operationName ?? undefined);
    const query = isCompiledQuery(result) ? result : null;
    this.compiled.set(key, { query });
    return query;
  }
}

export function compiledExecutor(schema: GraphQLSchema, operations = new CompiledOperations(schema)): GatewayExecutor {
  return async (request) => {
    // The name the client sent (Apollo's own operationName is the resolved one, null when none matched).
    const { document, context: contextValue } = request;
    const operationName = request.request.operationName ?? null;
    const variables = request.request.variables ?? {};
    const operation = getOperationAST(document, operationName);
    const text = operationText(request);
    const compiled = operation && text !== null && compilable(schema, operation) ? operations.compiledFor(`${operationName ?? ''}\u0000${text}`, document, operationName) : null;
    if (!operation || !compiled) return execute({ schema, document, operationName, contextValue, variableValues: variables });
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 50 });
    if (coerced.errors) return { errors: coerced.errors };
    const result = await compiled.query(undefined, contextValue, variables);
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };
}

/** What identifies the query text: Apollo's hash of it, or the text. */
function operationText(request: GatewayGraphQLRequestContext): string | null {
  return request.queryHash ?? request.source ?? request.request.query ?? null;
}

/**
 * graphql-jit's errors are shaped after an older GraphQLError (no `nodes`, `extensions` absent
 * when the thrown error had none), which Apollo's error formatting does not accept: each becomes
 * graphql-js's own, with its message, path, locations, original error and extensions.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const converted = new GraphQLError(error.message, { path: error.path, originalError: (error.originalError as Error | undefined) ?? undefined, extensions: error.extensions ?? undefined });
  if (error.locations) (converted as { locations?: unknown }).locations = error.locations;
  return converted;
}

/** A query whose variables are all scalars or enums (lists of them included). */
export function compilable(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  if (operation.operation !== 'query') return false;
  return (operation.variableDefinitions ?? []).every((definition) => {
    const type = typeFromAST(schema, definition.type);
    return type !== undefined && isLeafType(getNamedType(type));
  });
}

/** The one local schema, served through Apollo's gateway interface so that its executor is ours. */
export function localSchemaGateway(schema: GraphQLSchema): GatewayInterface {
  const listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  return {
    onSchemaLoadOrUpdate(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    async load() {
      // Apollo expects the schema announced before load() returns.
      const coreSupergraphSdl = printSchema(schema);
      for (const listener of listeners) listener({ apiSchema: schema, coreSupergraphSdl });
      return { executor: compiledExecutor(schema) };
    },
    async stop() {
      listeners.clear();
    },
  };
}
