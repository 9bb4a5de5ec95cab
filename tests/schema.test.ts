import fs from 'node:fs';
import { SCHEMA_FILE } from '../src/config/paths';
import { emitSchemaSDL } from '../src/server/schema';

describe('schema/schema.graphql', () => {
  it('is the SDL the code emits (run `npm run schema:emit` and commit it when this fails)', async () => {
    const checkedIn = fs.readFileSync(SCHEMA_FILE, 'utf8');
    expect(checkedIn).toBe(await emitSchemaSDL());
  });
});
