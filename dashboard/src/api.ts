/**
 * The dashboard's only door to the service: POST /graphql with the typed operations generated from
 * schema/schema.graphql, and the optional analyst token as a Bearer header.
 */
import type { TypedDocumentString } from './generated/graphql';

export const GRAPHQL_ENDPOINT: string = (import.meta.env.VITE_GRAPHQL_ENDPOINT as string | undefined) ?? '/graphql';
const TOKEN_KEY = 'disclosure-graph.token';

export function storedToken(): string {
  return localStorage.getItem(TOKEN_KEY) ?? '';
}

export function storeToken(token: string): void {
  if (token.trim() === '') localStorage.removeItem(TOKEN_KEY);
  else localStorage.setItem(TOKEN_KEY, token.trim());
}

export function authHeaders(): Record<string, string> {
  const token = storedToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** What went wrong, in words an analyst can act on: which request, and why. */
export class ApiError extends Error {
  constructor(
    readonly operation: string,
    readonly reason: 'network' | 'http' | 'graphql',
    detail: string,
    readonly status?: number,
  ) {
    super(`${operation}: ${detail}`);
    this.name = 'ApiError';
  }
}

function operationName(query: string): string {
  return /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'GraphQL';
}

export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  const query = document.toString();
  const operation = operationName(query);
  let response: Response;
  try {
    response = await fetch(GRAPHQL_ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...authHeaders() },
      body: JSON.stringify({ query, variables, operationName: operation }),
    });
  } catch (error) {
    throw new ApiError(operation, 'network', `无法连接 API ${GRAPHQL_ENDPOINT}（服务未运行或网络中断）/ cannot reach the API: ${(error as Error).message}`);
  }
  let body: { data?: TResult | null; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new ApiError(operation, 'http', `API 返回 HTTP ${response.status}，不是 JSON / the API answered HTTP ${response.status}, not JSON`, response.status);
  }
  if (body.errors?.length) {
    const first = body.errors[0]!;
    const code = first.extensions?.code ? ` [${first.extensions.code}]` : '';
    const hint = first.extensions?.code === 'UNAUTHENTICATED' || first.extensions?.code === 'FORBIDDEN' || response.status === 401 || response.status === 403 ? ' — 请填写分析员令牌 / enter an analyst token' : '';
    throw new ApiError(operation, 'graphql', `${first.message}${code}${hint}`, response.status);
  }
  if (!response.ok || !body.data) throw new ApiError(operation, 'http', `API 返回 HTTP ${response.status} / the API answered HTTP ${response.status}`, response.status);
  return body.data;
}

/** Every page of a Relay connection, following endCursor. */
export async function allPages<TNode>(
  fetchPage: (after: string | null) => Promise<{ pageInfo: { hasNextPage: boolean; endCursor?: string | null }; edges: { node: TNode }[] }>,
): Promise<TNode[]> {
  const nodes: TNode[] = [];
  let after: string | null = null;
  for (let page = 0; page < 100; page += 1) {
    const connection = await fetchPage(after);
    nodes.push(...connection.edges.map((e) => e.node));
    if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) break;
    after = connection.pageInfo.endCursor;
  }
  return nodes;
}
