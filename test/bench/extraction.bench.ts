/**
 * Main-text extraction benchmark on ../shared/bench/extraction/dev, scored with the metric of
 * ../shared/bench/README.md (test/bench/lib/extraction-metric.ts). Systems, same pages, same
 * process: ours on HTML; ours on the pages flattened to text dumps (through cleanText);
 * @mozilla/readability on jsdom (its reference setup) and on linkedom.
 * Prints F1 / precision / recall / exact-match accuracy and pages/s for each.
 * BENCH_SMOKE=1: 2 pages, no warm-up. BENCH_PAGES=n: first n pages. BENCH_SYSTEMS=ours,dump,...: subset.
 * BENCH_WORST=n: also list the n worst pages of ours on HTML (for iterating on the rules).
 */
import { Readability } from '@mozilla/readability';
import { createRequire } from 'node:module';
import { parseHTML } from 'linkedom';
import { extractHtml } from '../../src/clean/html/index.js';
import type { Block } from '../../src/schema/pipeline.js';
import { cleanText } from '../../src/clean/text/index.js';
import { aggregate, scorePage, type PageScore } from './lib/extraction-metric.js';
import { loadExtractionDev, EXTRACTION_DEV_DIR, type ExtractionPage } from './lib/extraction-data.js';
import { htmlToTextDump } from './lib/text-dump.js';

type Extractor = (page: ExtractionPage) => string;
type ReadabilityDocument = ConstructorParameters<typeof Readability>[0];

// jsdom ships no type declarations and none are installed; this is the little of it used here.
interface JsdomApi {
  JSDOM: new (html: string, options: { url?: string; virtualConsole: unknown }) => { window: { document: ReadabilityDocument; close(): void } };
  VirtualConsole: new () => unknown;
}
const { JSDOM, VirtualConsole } = createRequire(import.meta.url)('jsdom') as JsdomApi;

function readabilityText(doc: ReadabilityDocument): string {
  // Readability cannot run on a document without a body; that page scores as empty.
  try {
    return new Readability(doc).parse()?.textContent ?? '';
  } catch {
    return '';
  }
}

function runSafely(run: Extractor, page: ExtractionPage): string | null {
  try {
    return run(page);
  } catch {
    return null;
  }
}

/** The dump's main article: the blocks before the first section marker (related, next article). */
function mainArticleText(blocks: Block[]): string {
  const end = blocks.findIndex((b) => b.type === 'section');
  return (end < 0 ? blocks : blocks.slice(0, end)).map((b) => b.text).join('\n\n');
}

const systems: Record<string, { label: string; run: Extractor }> = {
  ours: {
    label: 'ours (HTML)',
    run: (p) => extractHtml(p.html).blocks.map((b) => b.text).join('\n\n'),
  },
  dump: {
    label: 'ours (text dump → cleanText)',
    // Here `html` already holds the text dump (converted outside the timed loop).
    run: (p) => mainArticleText(cleanText(p.html).blocks),
  },
  'readability-jsdom': {
    label: 'Readability + jsdom',
    run: (p) => {
      const { window } = new JSDOM(p.html, { url: p.url || undefined, virtualConsole: new VirtualConsole() });
      const text = readabilityText(window.document);
      window.close();
      return text;
    },
  },
  'readability-linkedom': {
    label: 'Readability + linkedom',
    run: (p) => readabilityText(parseHTML(p.html).document as unknown as ReadabilityDocument),
  },
};

function main(): void {
  const all = loadExtractionDev();
  if (!all) {
    console.log(`SKIPPED: benchmark data not found at ${EXTRACTION_DEV_DIR}`);
    return;
  }
  const smoke = !!process.env.BENCH_SMOKE;
  const limit = smoke ? 2 : Number(process.env.BENCH_PAGES ?? all.length);
  const pages = all.slice(0, limit);
  const chosen = (process.env.BENCH_SYSTEMS ?? Object.keys(systems).join(',')).split(',');
  console.log(`extraction dev: ${pages.length} pages`);
  console.log(`${'system'.padEnd(32)} ${'F1'.padStart(6)} ${'prec'.padStart(6)} ${'recall'.padStart(6)} ${'exact'.padStart(6)} ${'pages/s'.padStart(9)}`);
  const runs = chosen.map((key) => {
    const system = systems[key];
    if (!system) throw new Error(`unknown system ${key}`);
    // The text-dump conversion stands in for the scraper, so it is done before any clock starts.
    const inputs = key === 'dump' ? pages.map((p) => ({ ...p, html: htmlToTextDump(p.html) })) : pages;
    return { key, system, inputs, outputs: [] as string[], seconds: 0, failures: 0 };
  });
  // Warm the JIT on a few pages so the figures measure steady-state throughput for every system alike.
  if (!smoke) for (const run of runs) for (const page of run.inputs.slice(0, 3)) runSafely(run.system.run, page);
  // Page by page, every system in turn: on a shared machine a burst of load then hits all of them
  // alike instead of whichever happened to be running.
  for (let i = 0; i < pages.length; i++) {
    for (const run of runs) {
      const started = process.hrtime.bigint();
      const out = runSafely(run.system.run, run.inputs[i]!);
      run.seconds += Number(process.hrtime.bigint() - started) / 1e9;
      if (out === null) run.failures++;
      run.outputs.push(out ?? '');
    }
  }
  for (const { key, system, outputs, seconds, failures } of runs) {
    const scores: PageScore[] = pages.map((p, i) => scorePage(p.truth, outputs[i]!));
    const m = aggregate(scores);
    console.log(
      `${system.label.padEnd(32)} ${m.f1.toFixed(3).padStart(6)} ${m.precision.toFixed(3).padStart(6)} ${m.recall.toFixed(3).padStart(6)} ${m.accuracy.toFixed(3).padStart(6)} ${(pages.length / seconds).toFixed(1).padStart(9)}${failures ? `  (${failures} pages threw, scored as empty)` : ''}`,
    );
    const worst = Number(process.env.BENCH_WORST ?? 0);
    if (worst > 0 && key === 'ours') {
      const ranked = scores.map((s, i) => ({ s, i })).sort((a, b) => a.s.tp - b.s.tp).slice(0, worst);
      for (const { s, i } of ranked) {
        const p = s.tp + s.fp === 0 ? 0 : s.tp / (s.tp + s.fp);
        const r = s.tp + s.fn === 0 ? 0 : s.tp / (s.tp + s.fn);
        console.log(`   ${pages[i]!.id.slice(0, 12)} P=${p.toFixed(2)} R=${r.toFixed(2)} ${pages[i]!.url}`);
      }
    }
  }
  console.log('(F1/precision/recall: 4-token shingle overlap per page, mean over pages; exact: share of pages with identical tokens; pages/s: one process, parse included, systems interleaved page by page)');
}

main();
