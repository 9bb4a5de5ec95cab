import type { Command } from 'commander';
import { registerDemoCommands } from '../analysis/demo/demo.commands';
import { registerAssessmentCommands } from '../assessment/assessment.commands';
import { registerTokenCommands } from '../auth/token.commands';
import { registerIngestCommands } from '../ingest/ingest.commands';
import { registerOfficeCommands } from '../offices/office.commands';

/** Commands contributed by the domain modules register here. */
export function registerCommands(program: Command): void {
  registerOfficeCommands(program);
  registerIngestCommands(program);
  registerAssessmentCommands(program);
  registerDemoCommands(program);
  registerTokenCommands(program);
}
