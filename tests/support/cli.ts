/**
 * The CLI as users run it: the built bin in a child process. Suites build it once (buildCli) in
 * their beforeAll, since `npm test` does not depend on a previous `npm run build`.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const PROJECT_DIR = path.resolve(__dirname, '../..');
const BIN = path.join(PROJECT_DIR, 'bin', 'disclosure-graph.js');

export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  /** The exit status (0 on success). */
  readonly code: number;
}

export async function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: PROJECT_DIR, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

const STAMP = path.join(PROJECT_DIR, 'dist', '.cli-test-build');
const LOCK = path.join(os.tmpdir(), `dg-cli-build-${Buffer.from(PROJECT_DIR).toString('hex').slice(-24)}.lock`);

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(file) : fs.statSync(file).mtimeMs);
  }
  return newest;
}

function builtSinceLastChange(): boolean {
  if (!fs.existsSync(STAMP)) return false;
  const sources = Math.max(...['src', 'migrations', 'bench', 'scripts'].map((d) => newestSource(path.join(PROJECT_DIR, d))));
  return fs.statSync(STAMP).mtimeMs > sources;
}

/**
 * Compiles the CLI into dist/ (what `npm ci` does through `prepare`) — once for all suites that
 * ask: suites run in parallel workers, and a build rewriting dist/ under another suite's running
 * CLI would hand it half-written files. A lock directory serialises the build; a stamp skips it
 * when nothing changed since.
 */
export async function buildCli(): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      // A lock older than 5 minutes was left by a killed run.
      if (fs.existsSync(LOCK) && Date.now() - fs.statSync(LOCK).mtimeMs > 300_000) fs.rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() - started > 300_000) throw new Error(`waited 5 minutes for the CLI build lock ${LOCK}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    if (builtSinceLastChange()) return;
    await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: PROJECT_DIR });
    fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}
