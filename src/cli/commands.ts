import type { Command } from 'commander';
import { registerIngestCommands } from '../ingest/ingest.commands';

/** Commands contributed by the domain modules register here. */
export function registerCommands(program: Command): void {
  registerIngestCommands(program);
}
