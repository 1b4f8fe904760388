/**
 * Reads docker-compose.yml the way `docker compose` does for these checks: YAML merge keys
 * resolved, and `${VAR:-default}` / `${VAR:?error}` / `$$` interpolated from a given env.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const COMPOSE_PATH = path.join(ROOT, 'docker-compose.yml');

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  init?: boolean;
  user?: string;
  profiles?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] | string };
  deploy?: { replicas?: number | string };
  stop_grace_period?: string;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export function readComposeText(): string {
  return readFileSync(COMPOSE_PATH, 'utf8');
}

export function parseCompose(text = readComposeText()): ComposeFile {
  return parse(text, { merge: true }) as ComposeFile;
}

const VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g;

/** Every variable the file reads, with the default it gives (undefined when none). */
export function variablesOf(text: string): Map<string, string | undefined> {
  const vars = new Map<string, string | undefined>();
  for (const m of text.matchAll(VARIABLE)) {
    if (!m[1]) continue;
    const fallback = m[2]?.endsWith('-') ? m[3] : undefined;
    if (!vars.has(m[1]) || fallback !== undefined) vars.set(m[1], fallback);
  }
  return vars;
}

/** Compose's interpolation (the subset this file uses); throws like compose on `:?`. */
export function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(VARIABLE, (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (!name) return '$';
    const v = env[name];
    const unsetOrEmpty = v === undefined || (op?.startsWith(':') && v === '');
    if (op?.endsWith('?') && unsetOrEmpty) throw new Error(`${name}: ${arg}`);
    if (op?.endsWith('-') && unsetOrEmpty) return arg ?? '';
    return v ?? '';
  });
}

/** A Go-style duration as compose writes it ("30s", "1m30s") in milliseconds. */
export function durationMs(text: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) throw new Error(`not a duration: ${text}`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]!]!, 0);
}
