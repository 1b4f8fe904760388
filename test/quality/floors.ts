/** The score floors of the quality gates (floors.json), read and checked in one place. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const FLOORS = z
  .record(z.string(), z.number().min(0).max(1))
  .parse(JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'floors.json'), 'utf8')));

/** The floor kept under `key`; a missing key is an error, so a gate cannot pass by losing its floor. */
export function floor(key: string): number {
  const value = FLOORS[key];
  if (value === undefined) throw new Error(`test/quality/floors.json has no "${key}"`);
  return value;
}
