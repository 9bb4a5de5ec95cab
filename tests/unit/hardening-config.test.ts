import { ConfigError, loadConfig, loadSecurityConfig } from '../../src/config/config';

const SECRET = 'a-test-only-shared-secret-of-at-least-32-bytes';

describe('hardening settings from the environment', () => {
  it('caps JWT lifetimes at one day unless JWT_MAX_LIFETIME_SECONDS says otherwise', () => {
    expect(loadSecurityConfig({ JWT_SECRET: SECRET }).jwt!.maxLifetimeSeconds).toBe(86400);
    expect(loadSecurityConfig({ JWT_SECRET: SECRET, JWT_MAX_LIFETIME_SECONDS: '900' }).jwt!.maxLifetimeSeconds).toBe(900);
    expect(() => loadSecurityConfig({ JWT_SECRET: SECRET, JWT_MAX_LIFETIME_SECONDS: 'forever' })).toThrow(new ConfigError('JWT_MAX_LIFETIME_SECONDS', 'expected a positive integer, got "forever"'));
  });

  it('reads the parse time limit, the parse workers and the cache prefix', () => {
    const config = loadConfig({ PARSE_TIME_LIMIT_MS: '2500', PARSE_WORKERS: '3', ANALYSIS_CACHE_PREFIX: 'district-a:' });
    expect(config.parse).toEqual({ timeLimitMs: 2500, workers: 3 });
    expect(config.cachePrefix).toBe('district-a:');
    expect(loadConfig({}).parse!.timeLimitMs).toBe(5000);
    expect(() => loadConfig({ PARSE_TIME_LIMIT_MS: '0' })).toThrow(/PARSE_TIME_LIMIT_MS: expected a positive integer/);
  });
});
