/** `copydesk process`: the same stages in-process, no Redis; dedupe index in memory. */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../src/config.js';
import { createStages, processFileBytes } from '../../src/pipeline.js';
import { PIPELINE_VERSION } from '../../src/version.js';
import { MemoryDedupeIndex } from '../../src/dedupe/memory-index.js';
import { sha256Hex } from '../../src/ids.js';
import { errorCode } from '../../src/errors.js';
import { FsStore } from '../../src/store/fs.js';
import { isIgnoredName } from '../inbox.js';
import { intakeLimits } from '../runtime.js';

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
  const stages = createStages({ limits: intakeLimits(config), pipelineVersion: PIPELINE_VERSION });
  const index = new MemoryDedupeIndex();
  const store = opts.stdout ? null : new FsStore(opts.out ?? config.out);
  await store?.init();
  let failures = 0;
  let stored = 0;
  for (const file of await expandPaths(paths)) {
    const bytes = await readFile(file);
    const st = await stat(file);
    const source = { name: path.basename(file), sha256: sha256Hex(bytes), size: bytes.length, capturedAt: st.mtime.toISOString() };
    try {
      const { articles, dropped } = await processFileBytes(stages, source, bytes, index);
      for (const a of articles) {
        if (opts.stdout) process.stdout.write(`${JSON.stringify(a)}\n`);
        if (opts.explain) {
          process.stderr.write(`# ${a.id} ${a.title}\n`);
          for (const n of a.provenance.notes) process.stderr.write(`  - [${n.stage}/${n.rule}] ${n.text ?? ''}\n`);
        }
      }
      await store?.upsert(articles);
      await store?.putDropped(source, dropped);
      stored += articles.length;
      for (const d of dropped) process.stderr.write(`dropped ${source.name} ${d.key}: ${d.reason}\n`);
    } catch (err) {
      failures++;
      process.stderr.write(`failed ${file}: ${errorCode(err)}: ${(err as Error).message}\n`);
    }
  }
  if (!opts.stdout) process.stderr.write(`${stored} articles written to ${path.join(opts.out ?? config.out, 'articles')}\n`);
  return failures ? 1 : 0;
}
