import type { Command } from 'commander';
import { registerTokenCommands } from '../auth/token.commands';
import { registerIngestCommands } from '../ingest/ingest.commands';

/** Commands contributed by the domain modules register here. */
export function registerCommands(program: Command): void {
  registerIngestCommands(program);
  registerTokenCommands(program);
}
