import pino from 'pino'

export type Logger = pino.Logger

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'shared-factory' },
    redact: ['req.headers.cookie', 'req.headers.authorization', 'password', '*.password'],
  })
}
