import pino from 'pino';

/** One structured JSON logger for the whole process; level from LOG_LEVEL. */
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
// An invalid LOG_LEVEL is reported by the settings check; the logger must not crash before that happens.
const level = LEVELS.includes(process.env.LOG_LEVEL ?? '') ? process.env.LOG_LEVEL! : 'info';

export const logger = pino({
  level,
  base: { service: 'idm-sync' },
  timestamp: pino.stdTimeFunctions.isoTime,
});

export type Logger = pino.Logger;
