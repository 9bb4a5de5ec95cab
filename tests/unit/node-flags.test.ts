/** `npm start` and the Dockerfile run the server with the flags the benchmarks measure (src/config/node-flags.ts). */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SERVER_NODE_FLAGS } from '../../src/config/node-flags';

const root = path.join(__dirname, '..', '..');

describe('the server V8 flags', () => {
  it('are the same in npm start, the Dockerfile and SERVER_NODE_FLAGS', () => {
    const start = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
    expect(start).toBe(`node ${SERVER_NODE_FLAGS.join(' ')} dist/src/server/main.js`);
    const cmd = /^CMD (\[.*\])$/m.exec(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'))?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual(['node', ...SERVER_NODE_FLAGS, 'dist/src/server/main.js']);
    // Node accepts them (a misspelt V8 flag stops the process before it serves anything).
    const { status, stderr } = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, '-e', '0'], { encoding: 'utf8' });
    expect([status, stderr]).toEqual([0, '']);
  });
});
