/**
 * Loads ../shared/bench/extraction/dev (read-only, never copied into the repo): gzipped HTML
 * pages and their human-written article bodies. Returns null when the folder is absent so
 * callers can skip with a message.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ExtractionPage {
  id: string;
  url: string;
  html: string;
  truth: string;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const EXTRACTION_DEV_DIR = process.env.EXTRACTION_DEV_DIR ?? path.resolve(repoRoot, '../shared/bench/extraction/dev');

export function loadExtractionDev(dir = EXTRACTION_DEV_DIR): ExtractionPage[] | null {
  const truthFile = path.join(dir, 'ground-truth.json');
  if (!existsSync(truthFile)) return null;
  const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as Record<string, { articleBody?: string; url?: string }>;
  return Object.entries(truth)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, t]) => ({
      id,
      url: t.url ?? '',
      truth: t.articleBody ?? '',
      html: gunzipSync(readFileSync(path.join(dir, 'html', `${id}.html.gz`))).toString('utf8'),
    }));
}
