/**
 * `POST /imports`: reports uploaded from a browser (multipart/form-data, one or many files), read
 * by their content and stored as the CLI's `import` stores them. The answer is the CLI's `--json`:
 * `{ files: [...], summary }`, one row per file.
 */
import busboy from 'busboy';
import type { Express, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { UploadConfig } from '../config/config';
import type { Services } from '../server/context';
import { sendError } from '../common/http-errors';
import { viewerOf } from '../server/http-guards';
import { importSources } from './import-files';
import { summarize } from './import-results';

/** Refusals in the service's one error body (src/common/http-errors.ts), naming the field or file. */
function fail(res: Response, status: number, code: string, message: string, field?: string): void {
  sendError(res, status, code, message, { extensions: field ? { field } : {} });
}

interface Upload {
  readonly files: { readonly name: string; readonly bytes: Buffer }[];
  readonly officeCode: string | null;
}

type Refusal = { readonly status: number; readonly code: string; readonly message: string; readonly field?: string };

const MiB = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;

/**
 * Reads the whole body into memory within the limits. Nothing is stored before every file has
 * arrived, so a refused request leaves nothing behind.
 */
function receive(req: Request, limits: UploadConfig): Promise<Upload | Refusal> {
  return new Promise((resolve) => {
    const files: { name: string; bytes: Buffer }[] = [];
    let officeCode: string | null = null;
    let total = 0;
    let refusal: Refusal | null = null;
    const refuse = (r: Refusal) => {
      refusal ??= r;
    };
    let parser: busboy.Busboy;
    try {
      // Browsers send file names in UTF-8; busboy's default would read them as Latin-1. A file's
      // path inside a dropped folder is kept for the row (it is only shown, never used as a path).
      parser = busboy({ headers: req.headers, defParamCharset: 'utf8', preservePath: true, limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: 20, fieldSize: 1024 } });
    } catch (error) {
      resolve({ status: 400, code: 'BAD_REQUEST', message: `not a readable multipart/form-data body: ${(error as Error).message}` });
      return;
    }
    parser.on('file', (_field, stream, info) => {
      const name = info.filename?.trim() || `file-${files.length + 1}`;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > limits.maxRequestBytes) refuse({ status: 413, code: 'PAYLOAD_TOO_LARGE', message: `上传内容超过 ${MiB(limits.maxRequestBytes)} / the upload is over the ${MiB(limits.maxRequestBytes)} limit per request (UPLOAD_MAX_REQUEST_BYTES); send fewer files at a time` });
        if (!refusal) chunks.push(chunk);
      });
      stream.on('limit', () => refuse({ status: 413, code: 'PAYLOAD_TOO_LARGE', message: `文件 ${name} 超过 ${MiB(limits.maxFileBytes)} / ${name} is over the ${MiB(limits.maxFileBytes)} limit per file (UPLOAD_MAX_FILE_BYTES); nothing was imported`, field: name }));
      stream.on('end', () => {
        if (!refusal) files.push({ name, bytes: Buffer.concat(chunks) });
      });
    });
    parser.on('field', (field, value) => {
      if (field === 'officeCode' && value.trim() !== '') officeCode = value.trim();
    });
    parser.on('filesLimit', () => refuse({ status: 413, code: 'PAYLOAD_TOO_LARGE', message: `一次最多上传 ${limits.maxFiles} 个文件 / at most ${limits.maxFiles} files per request (UPLOAD_MAX_FILES)` }));
    parser.on('error', (error: Error) => {
      req.unpipe(parser);
      req.resume();
      resolve(refusal ?? { status: 400, code: 'BAD_REQUEST', message: `malformed multipart/form-data body: ${error.message}` });
    });
    parser.on('close', () => resolve(refusal ?? { files, officeCode }));
    req.pipe(parser);
  });
}

/**
 * `authorize` decides who may upload (editors and above); which offices an editor may write is
 * checked per file by the import service, inside the write's transaction.
 */
export function registerImportRoutes(app: Express, services: Services, authorize: RequestHandler, limits: UploadConfig, log: Logger): void {
  app.post('/imports', authorize, async (req, res) => {
    if (!req.is('multipart/form-data')) {
      return fail(res, 415, 'UNSUPPORTED_MEDIA_TYPE', `POST /imports takes multipart/form-data (files in any field), got ${req.headers['content-type'] ?? 'no Content-Type'}`, 'content-type');
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxRequestBytes) {
      // Answered before reading; the rest of the body is read and dropped so the client sees the answer.
      req.resume();
      return fail(res, 413, 'PAYLOAD_TOO_LARGE', `上传内容超过 ${MiB(limits.maxRequestBytes)} / the upload (${MiB(declared)}) is over the ${MiB(limits.maxRequestBytes)} limit per request (UPLOAD_MAX_REQUEST_BYTES)`);
    }
    const upload = await receive(req, limits);
    if ('status' in upload) return fail(res, upload.status, upload.code, upload.message, upload.field);
    if (upload.files.length === 0) return fail(res, 400, 'BAD_USER_INPUT', '请求中没有文件 / the request holds no file: send the reports as multipart/form-data file fields', 'files');

    const viewer = viewerOf(res)!;
    const files = await importSources(
      services.imports,
      upload.files.map((f) => ({ file: f.name, read: async () => f.bytes })),
      { viewer, officeCode: upload.officeCode, batch: 50 },
    );
    const body = { files, summary: summarize(files) };
    log.info({ requestId: res.locals.requestId, subject: viewer.subject, summary: body.summary }, 'upload imported');
    if (files.every((f) => f.problem?.code === 'FORBIDDEN')) {
      // Nothing was written, and only for want of the right to: the same refusal as GraphQL's.
      return sendError(res, 403, 'FORBIDDEN', files[0]!.problem!.message, { rest: body });
    }
    res.json(body);
  });
}
