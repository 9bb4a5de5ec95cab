import pino, { type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'disclosure-graph' }, redact: ['req.headers.authorization', 'authorization', 'token'] });
}
