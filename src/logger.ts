import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs; human-readable when stdout is a terminal. */
export function createLogger(level: string, opts: { pretty?: boolean; name?: string } = {}): Logger {
  const pretty = opts.pretty ?? process.stdout.isTTY === true;
  return pino({
    level,
    name: opts.name ?? 'copydesk',
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } } : {}),
  });
}
