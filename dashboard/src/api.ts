/**
 * The dashboard's only door to the service: POST /graphql with the typed operations generated from
 * schema/schema.graphql, the export downloads and the report uploads (POST /imports), with the
 * optional token as a Bearer header.
 */
import type { ImportResponse } from '../../src/ingest/import-contract';
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
    /** The GraphQL error code (extensions.code), e.g. FORBIDDEN. */
    readonly code?: string,
    /** A 429's Retry-After. */
    readonly retryAfterSeconds?: number,
    /** The GraphQL error's extensions (e.g. a CONFLICT's currentRevision, a BAD_USER_INPUT's problems). */
    readonly extensions?: Readonly<Record<string, unknown>>,
  ) {
    super(`${operation}: ${detail}`);
    this.name = 'ApiError';
  }
}

function operationName(query: string): string {
  return /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'GraphQL';
}

/**
 * The service lets a client have only a few analysis operations in flight (ANALYSIS_MAX_IN_FLIGHT,
 * 2 by default; 429 beyond): a city's view asks for a summary per district, so those requests
 * queue here, two at a time, and a 429 that still comes (another tab) waits for Retry-After.
 */
const ANALYSIS_FIELDS = /\b(compareOffices|childSummaries|rollup|timeSeries|yearOverYear)\s*\(/;
const ANALYSIS_IN_FLIGHT = 2;
const RETRIES_ON_429 = 5;
let analysisInFlight = 0;
const analysisQueue: (() => void)[] = [];

function releaseSlot(): void {
  analysisInFlight -= 1;
  analysisQueue.shift()?.();
}

/** A free slot at once (so the request leaves in the caller's own turn), else a wait in the queue. */
function analysisSlot(): (() => void) | Promise<() => void> {
  if (analysisInFlight < ANALYSIS_IN_FLIGHT) {
    analysisInFlight += 1;
    return releaseSlot;
  }
  return new Promise<void>((resolve) => analysisQueue.push(resolve)).then(() => {
    analysisInFlight += 1;
    return releaseSlot;
  });
}

export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  const analysis = ANALYSIS_FIELDS.test(document.toString());
  for (let attempt = 0; ; attempt += 1) {
    const slot = analysis ? analysisSlot() : () => undefined;
    const release = typeof slot === 'function' ? slot : await slot;
    try {
      return await send(document, variables);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 429) || attempt >= RETRIES_ON_429) throw error;
      await new Promise((resolve) => setTimeout(resolve, (error.retryAfterSeconds ?? 1) * 1000));
    } finally {
      release();
    }
  }
}

async function send<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables): Promise<TResult> {
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
  let body: { data?: TResult | null; errors?: { message: string; extensions?: { code?: string; [name: string]: unknown } }[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new ApiError(operation, 'http', `API 返回 HTTP ${response.status}，不是 JSON / the API answered HTTP ${response.status}, not JSON`, response.status);
  }
  if (body.errors?.length) {
    const first = body.errors[0]!;
    const code = first.extensions?.code ? ` [${first.extensions.code}]` : '';
    const hint = first.extensions?.code === 'UNAUTHENTICATED' || first.extensions?.code === 'FORBIDDEN' || response.status === 401 || response.status === 403 ? ' — 请填写分析员令牌 / enter an analyst token' : '';
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiError(operation, 'graphql', `${first.message}${code}${hint}`, response.status, first.extensions?.code, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined, first.extensions);
  }
  if (!response.ok || !body.data) {
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiError(operation, 'http', `API 返回 HTTP ${response.status} / the API answered HTTP ${response.status}`, response.status, undefined, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
  }
  return body.data;
}

/** A URL the API gave relative to the service (e.g. `/exports/…`), resolved where the API lives. */
export function serviceUrl(relative: string): string {
  return new URL(relative, new URL(GRAPHQL_ENDPOINT, location.href)).toString();
}

/** A refusal for want of (the right) credentials, as opposed to a failure. */
export function isAuthError(error: unknown): error is ApiError {
  return error instanceof ApiError && (error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN' || error.status === 401 || error.status === 403);
}

/**
 * Downloads a file from the service with the analyst's credentials: a plain link would carry no
 * Authorization header, so the file is fetched, held as a Blob and saved through a temporary
 * `<a download>`, under the service's name for it (else `fileName`), which is returned. Failures say which file and why.
 */
/** The UTF-8 name the service gives the file (RFC 5987 `filename*`), which names the office rather than its code. */
function suggestedName(response: Response): string | null {
  const match = /filename\*=UTF-8''([^;]+)/i.exec(response.headers.get('content-disposition') ?? '');
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
}

export async function downloadWithAuth(url: string, fileName: string, what: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(serviceUrl(url), { headers: { ...authHeaders() } });
  } catch (error) {
    throw new ApiError(what, 'network', `无法连接服务 ${url}（服务未运行或网络中断）/ cannot reach the service: ${(error as Error).message}`);
  }
  if (!response.ok) {
    // The service answers refusals as JSON: { errors: [{ message, extensions: { code } }] } or { error: { code, message } }.
    let message = '';
    let code: string | undefined;
    try {
      const body = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[]; error?: { code?: string; message?: string } };
      message = body.errors?.[0]?.message ?? body.error?.message ?? '';
      code = body.errors?.[0]?.extensions?.code ?? body.error?.code;
    } catch {
      // Not JSON: the status says enough.
    }
    // The service's message names the role the route needs (analyst for the assessment, any token where anonymous access is off).
    const hint = response.status === 401 || response.status === 403 ? ' — 请在「令牌 / Token」处填写令牌 / enter a token with that role above' : '';
    throw new ApiError(what, 'http', `HTTP ${response.status}${code ? ` [${code}]` : ''}${message ? ` ${message}` : ''}${hint}`, response.status, code);
  }
  let blob: Blob;
  try {
    blob = await response.blob();
  } catch (error) {
    throw new ApiError(what, 'network', `下载中断 / the download broke off: ${(error as Error).message}`, response.status);
  }
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  const saved = suggestedName(response) ?? fileName;
  link.download = saved;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click is handled; free the Blob a little later.
  setTimeout(() => URL.revokeObjectURL(href), 60000);
  return saved;
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

/** What `POST /imports` answered for one upload: rows per file, or a refusal of the whole request. */
export type UploadAnswer =
  | { readonly kind: 'results'; readonly status: number; readonly body: ImportResponse }
  | { readonly kind: 'refused'; readonly status: number; readonly code?: string; readonly message: string; readonly retryAfterSeconds?: number };

/**
 * Uploads one file to `POST /imports` (multipart) with the stored token. The name may carry the
 * file's path inside a dropped folder; the service reads the content, not the name.
 */
export async function uploadReport(file: Blob, name: string, officeCode: string): Promise<UploadAnswer> {
  const form = new FormData();
  if (officeCode.trim() !== '') form.append('officeCode', officeCode.trim());
  form.append('files', file, name);
  let response: Response;
  try {
    response = await fetch(serviceUrl('/imports'), { method: 'POST', body: form, headers: { accept: 'application/json', ...authHeaders() } });
  } catch (error) {
    throw new ApiError(name, 'network', `无法连接服务（服务未运行或网络中断）/ cannot reach the service: ${(error as Error).message}`);
  }
  let body: Partial<ImportResponse> & { errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new ApiError(name, 'http', `服务返回 HTTP ${response.status}，不是 JSON / the service answered HTTP ${response.status}, not JSON`, response.status);
  }
  if (Array.isArray(body.files)) return { kind: 'results', status: response.status, body: body as ImportResponse };
  const code = body.errors?.[0]?.extensions?.code ?? body.error?.code;
  const message = body.errors?.[0]?.message ?? body.error?.message ?? `HTTP ${response.status}`;
  const retryAfter = Number(response.headers.get('retry-after'));
  return { kind: 'refused', status: response.status, code, message, retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined };
}
