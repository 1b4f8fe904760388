/** `copydesk process`: the same stages in-process, no Redis; dedupe index in memory. */
import { once } from 'node:events';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../src/config.js';
import { processRecords } from '../../src/pipeline.js';
import { MemoryDedupeIndex } from '../../src/dedupe/memory-index.js';
import { errorCode } from '../../src/errors.js';
import { FsStore } from '../../src/store/fs.js';
import { hashFile, isIgnoredName } from '../inbox.js';
import { fileChunks } from '../file-chunks.js';
import type { Article } from '../../src/schema/article.js';
import type { SourceFile } from '../../src/schema/pipeline.js';
import { buildStages, dedupeWindow } from '../runtime.js';

export interface ProcessOptions {
  out?: string;
  stdout?: boolean;
  explain?: boolean;
}

/** Files named directly, and the visible files inside named folders (recursively), sorted. */
export async function expandPaths(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const st = await stat(p);
    if (st.isDirectory()) {
      const entries = (await readdir(p, { withFileTypes: true })).filter((e) => !isIgnoredName(e.name)).sort((a, b) => a.name.localeCompare(b.name));
      files.push(...(await expandPaths(entries.map((e) => path.join(p, e.name)))));
    } else if (st.isFile()) files.push(p);
  }
  return files;
}

export async function runProcess(paths: readonly string[], opts: ProcessOptions, config: Config): Promise<number> {
  const stages = await buildStages(config);
  const index = new MemoryDedupeIndex(config.dedupe, dedupeWindow(config), { maxArticles: config.processDedupeArticles });
  const store = opts.stdout ? null : new FsStore(opts.out ?? config.out);
  await store?.init();
  let failures = 0;
  let stored = 0;
  for (const file of await expandPaths(paths)) {
    const source = await describeFile(file);
    try {
      const records = stages.intakeStream(source, fileChunks(file));
      for await (const item of processRecords(stages, source, records, index)) {
        if ('dropped' in item) {
          await store?.putDropped(source, [item.dropped]);
          process.stderr.write(`dropped ${source.name} ${item.dropped.key}: ${item.dropped.reason}\n`);
          continue;
        }
        const a = item.article;
        if (opts.stdout) {
          if (!process.stdout.write(`${JSON.stringify(a)}\n`)) await once(process.stdout, 'drain');
        } else await store!.upsert([a]);
        if (opts.explain) explain(a);
        stored++;
      }
      for (const p of records.report.problems) process.stderr.write(`bad record ${source.name} #${p.index}: ${p.code}: ${p.message}\n`);
    } catch (err) {
      failures++;
      process.stderr.write(`failed ${file}: ${errorCode(err)}: ${(err as Error).message}\n`);
    }
  }
  if (!opts.stdout) process.stderr.write(`${stored} articles written to ${path.join(opts.out ?? config.out, 'articles')}\n`);
  return failures ? 1 : 0;
}

/** The file's identity: the sha256 of its bytes (read as a stream) and its mtime as capture time. */
async function describeFile(file: string): Promise<SourceFile> {
  const { sha256, size } = await hashFile(file);
  const st = await stat(file);
  return { name: path.basename(file), sha256, size, capturedAt: st.mtime.toISOString() };
}

function explain(a: Article): void {
  process.stderr.write(`# ${a.id} ${a.title}\n`);
  for (const n of a.provenance.notes) process.stderr.write(`  - [${n.stage}/${n.rule}] ${n.text ?? ''}\n`);
}
