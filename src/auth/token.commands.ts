import type { Command } from 'commander';
import { loadConfig } from '../config/config';
import { createDataSource, migrate } from '../db/data-source';
import { createServices, type Services } from '../server/context';
import { cliViewer } from './viewer';

type Print = (line: string) => void;

async function withServices<T>(work: (services: Services) => Promise<T>): Promise<T> {
  const dataSource = await createDataSource(loadConfig().database);
  try {
    await migrate(dataSource);
    return await work(createServices(dataSource));
  } finally {
    await dataSource.destroy();
  }
}

/** `token create|list|revoke`: an operator's way to manage API tokens on the database DATABASE_URL names. */
export function registerTokenCommands(program: Command, print: Print = (line) => console.log(line)): void {
  const token = program.command('token').description('manage API tokens (stored only as hashes)');
  token
    .command('create')
    .description('create a token and print its secret (shown this once only)')
    .requiredOption('--name <name>', 'what the token is for')
    .requiredOption('--role <role>', 'analyst, editor or admin')
    .option('--office <code>', 'for editors: the office whose subtree the token may write')
    .action(async (options: { name: string; role: string; office?: string }) => {
      const created = await withServices((s) => s.tokens.create({ name: options.name, role: options.role, scopeOfficeCode: options.office ?? null }, cliViewer()));
      print(`created token ${created.token.id} (${created.token.role}${created.token.scopeOfficeCode ? `, office ${created.token.scopeOfficeCode}` : ''})`);
      print(`secret (store it now; it is not kept): ${created.secret}`);
    });
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--all', 'include revoked tokens')
    .action(async (options: { all?: boolean }) => {
      const tokens = await withServices((s) => s.tokens.list(Boolean(options.all)));
      if (tokens.length === 0) print('no tokens');
      for (const t of tokens) {
        print([t.id, `dg_${t.prefix}_…`, t.role, t.scopeOfficeCode ?? '-', t.name, t.createdAt.toISOString(), t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : 'active'].join('\t'));
      }
    });
  token
    .command('revoke <id>')
    .description('revoke a token; requests with it are refused from then on')
    .action(async (id: string) => {
      if (!/^\d+$/.test(id)) throw new Error(`token revoke: "${id}" is not a token id (see token list)`);
      const revoked = await withServices((s) => s.tokens.revoke(Number(id), cliViewer()));
      print(`revoked token ${revoked.id} (${revoked.name})`);
    });
}
