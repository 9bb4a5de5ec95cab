import type { Command } from 'commander';
import { registerTokenCommands } from '../auth/token.commands';

/** Commands contributed by the domain modules (parse, import, export, tokens) register here. */
export function registerCommands(program: Command): void {
  registerTokenCommands(program);
}
