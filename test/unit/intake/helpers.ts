/** Shared helpers for the intake tests: sample files, a SourceFile for them, stream drivers. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RawRecord, SourceFile } from '../../../src/schema/pipeline.js';
import { intakeStream, type IntakeLimits, type IntakeReport } from '../../../src/intake/index.js';
import { DEFAULT_INTAKE_LIMITS } from '../../../src/intake/index.js';

export const SAMPLES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../samples');
export const EXPECTED_DIR = path.join(SAMPLES_DIR, 'expected');

/** Every sample file (samples/README.md describes them and is not one). */
export function sampleNames(): string[] {
  return readdirSync(SAMPLES_DIR).filter((n) => n !== 'README.md' && statSync(path.join(SAMPLES_DIR, n)).isFile()).sort();
}

export function readSample(name: string): Buffer {
  return readFileSync(path.join(SAMPLES_DIR, name));
}

export function sourceFile(name: string, bytes: Uint8Array): SourceFile {
  return { name, sha256: 'a'.repeat(64), size: bytes.length, capturedAt: '2025-06-09T08:00:00.000Z' };
}

export async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

export interface StreamOutcome {
  records: RawRecord[];
  report: IntakeReport;
}

export async function streamAll(name: string, bytes: Uint8Array, chunkSize: number, limits: IntakeLimits = DEFAULT_INTAKE_LIMITS): Promise<StreamOutcome> {
  const stream = intakeStream(sourceFile(name, bytes), chunked(bytes, chunkSize), limits);
  const records: RawRecord[] = [];
  for await (const r of stream) records.push(r);
  return { records, report: stream.report };
}
