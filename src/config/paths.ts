import path from 'node:path';

/** The project root, whether running from the sources (src/…) or the build (dist/src/…). */
export const PROJECT_ROOT = path.resolve(__dirname, __dirname.split(path.sep).includes('dist') ? '../../..' : '../..');

export const SCHEMA_FILE = path.join(PROJECT_ROOT, 'schema', 'schema.graphql');
