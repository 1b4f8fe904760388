import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Redis commands whose arguments are credentials. ioredis puts the failed command on its
 * errors (`command: { name: 'auth', args: [password] }`): a refused or interrupted AUTH
 * (wrong password, Redis still loading after a restart) must not write the password to the logs.
 */
const CREDENTIAL_COMMANDS = new Set(['auth', 'hello', 'migrate']);

function redactCredentials(value: unknown, depth = 0): void {
  if (!value || typeof value !== 'object' || depth > 5) return;
  const o = value as { command?: { name?: unknown; args?: unknown }; cause?: unknown; aggregateErrors?: unknown };
  const name = typeof o.command?.name === 'string' ? o.command.name.toLowerCase() : undefined;
  if (name && CREDENTIAL_COMMANDS.has(name) && Array.isArray(o.command!.args)) o.command = { ...o.command, args: ['[redacted]'] };
  redactCredentials(o.cause, depth + 1);
  if (Array.isArray(o.aggregateErrors)) for (const e of o.aggregateErrors) redactCredentials(e, depth + 1);
}

/** pino's error serializer, without credentials. */
export function serializeError(err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error);
  redactCredentials(out);
  return out;
}

/** JSON logs; human-readable when stdout is a terminal. */
export function createLogger(level: string, opts: { pretty?: boolean; name?: string } = {}): Logger {
  const pretty = opts.pretty ?? process.stdout.isTTY === true;
  return pino({
    level,
    name: opts.name ?? 'copydesk',
    serializers: { err: serializeError },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } } : {}),
  });
}
