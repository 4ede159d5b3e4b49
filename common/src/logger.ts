import { pino, type Logger } from 'pino';

export type { Logger };

/** The one root logger; services take a child with `service`, requests a child with `requestId`. */
export function createLogger(level: string = 'info'): Logger {
  return pino({ level, base: null, redact: ['req.headers.authorization', '*.phone'] });
}
