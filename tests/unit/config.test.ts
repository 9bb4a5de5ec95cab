import path from 'node:path';
import { ConfigError, loadConfig, parseDatabaseUrl } from '../../src/config/config';

describe('configuration', () => {
  it('defaults to the embedded SQLite file and port 4000', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ type: 'sqlite', path: path.resolve('./data/disclosure-graph.sqlite') });
    expect(config.port).toBe(4000);
  });

  it('reads sqlite:, mysql:// and mariadb:// URLs and replica URLs', () => {
    expect(parseDatabaseUrl('sqlite:/tmp/x.sqlite')).toEqual({ type: 'sqlite', path: '/tmp/x.sqlite' });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ type: 'sqlite', path: ':memory:' });
    expect(parseDatabaseUrl('mysql://u:p@db:3306/dg', 'mysql://r1/dg, mysql://r2/dg')).toEqual({
      type: 'mysql',
      url: 'mysql://u:p@db:3306/dg',
      replicaUrls: ['mysql://r1/dg', 'mysql://r2/dg'],
      replication: { waitMs: 250, warnLagSeconds: 5, maxLagSeconds: 30, checkIntervalMs: 5000, retryMs: 1000 },
    });
    expect(parseDatabaseUrl('mysql://db/dg', 'mysql://r1/dg', { REPLICA_WAIT_MS: '0', REPLICA_LAG_WARN_SECONDS: '2' })).toMatchObject({ replication: { waitMs: 0, warnLagSeconds: 2 } });
    expect(() => parseDatabaseUrl('mysql://db/dg', 'mysql://r1/dg', { REPLICA_MAX_LAG_SECONDS: 'soon' })).toThrow(new ConfigError('REPLICA_MAX_LAG_SECONDS', 'expected a number ≥ 0, got "soon"'));
    expect(parseDatabaseUrl('mariadb://db/dg')).toMatchObject({ type: 'mariadb' });
  });

  it('names the variable and the problem for bad values', () => {
    expect(() => parseDatabaseUrl('postgres://db/dg')).toThrow(new ConfigError('DATABASE_URL', 'unsupported scheme "postgres" (use sqlite:PATH, mysql://… or mariadb://…)'));
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow('PORT: not a port number: eighty');
  });
});
