/**
 * The external programs some formats need (LibreOffice, Tesseract, pdftoppm): found on PATH, run
 * as child processes with a time limit, never through a shell.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DocumentError } from './errors';

const found = new Map<string, string | null>();

/** The program's full path on PATH, or null. */
export function findTool(name: string): string | null {
  const key = `${process.env.PATH ?? ''}\0${name}`;
  if (found.has(key)) return found.get(key)!;
  let hit: string | null = null;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      hit = candidate;
      break;
    } catch {
      // not in this directory
    }
  }
  found.set(key, hit);
  return hit;
}

export interface RunResult {
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Runs a program; a non-zero exit or the time limit becomes a DocumentError naming the file. */
export function runTool(program: string, args: readonly string[], options: { filename: string; timeoutMs: number; what: string; cwd?: string; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      program,
      args,
      { encoding: 'buffer', timeout: options.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, cwd: options.cwd, env: options.env ?? process.env },
      (error, stdout, stderr) => {
        const err = stderr.toString('utf8').trim();
        if (error) {
          if ((error as NodeJS.ErrnoException & { killed?: boolean }).killed || error.signal === 'SIGKILL') {
            reject(new DocumentError('TIMEOUT', options.filename, `${options.what}超时（${Math.round(options.timeoutMs / 1000)} 秒）/ ${options.what} took longer than ${Math.round(options.timeoutMs / 1000)} s`));
            return;
          }
          reject(new DocumentError('CORRUPT', options.filename, `${options.what}失败 / ${options.what} failed: ${err.split('\n').slice(-3).join(' ') || error.message}`));
          return;
        }
        resolve({ stdout, stderr: err });
      },
    );
  });
}
