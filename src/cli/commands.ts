import type { Command } from 'commander';

/** Commands contributed by the domain modules (parse, import, export, tokens) register here. */
export function registerCommands(_program: Command): void {
  // Filled in as the modules land.
}
