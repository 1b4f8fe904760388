/**
 * HTTP basic auth for the dashboard, compared in constant time (hashing both sides first so
 * the comparison does not leak the secret's length either).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

const REALM = 'copydesk';

export function basicAuth(user: string, password: string, opts: { except?: readonly string[] } = {}): RequestHandler {
  const expected = digest(`${user}:${password}`);
  const open = new Set(opts.except ?? []);
  return (req, res, next) => {
    if (open.has(req.path)) return next();
    const header = req.headers.authorization ?? '';
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
    const given = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
    if (match && timingSafeEqual(digest(given), expected)) return next();
    res.set('WWW-Authenticate', `Basic realm="${REALM}", charset="UTF-8"`).status(401).type('text/plain').send('authentication required\n');
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
