/**
 * Configuration: command-line flags over environment over defaults, parsed once by zod,
 * frozen, and passed down. Nothing else reads process.env.
 */
import path from 'node:path';
import { z } from 'zod';
import { CopydeskError, ERROR_CODES } from './errors.js';
import { DEFAULT_DEDUPE_OPTIONS, dedupeOptions, type DedupeOptions } from './dedupe/options.js';
import { DEFAULT_MEMORY_INDEX_ARTICLES } from './dedupe/memory-index.js';

export const STAGES = ['intake', 'clean', 'split', 'dedupe', 'classify', 'store'] as const;
export type Stage = (typeof STAGES)[number];

const int = (min: number) => z.coerce.number().int().min(min);
const bool = z
  .union([z.boolean(), z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])])
  .transform((v) => v === true || v === '1' || v === 'true' || v === 'yes' || v === 'on');

const stageList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.enum(STAGES)).min(1));

const ConfigSchema = z.object({
  redisUrl: z.string().url().optional(),
  prefix: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only').default('copydesk'),
  inbox: z.string().min(1).default('inbox'),
  out: z.string().min(1).default('out'),
  stateDir: z.string().min(1).default('.copydesk'),
  store: z.enum(['fs', 'postgres']).default('fs'),
  databaseUrl: z.string().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  stages: stageList.default([...STAGES]),
  /**
   * Jobs at once per stage and process. An intake job holds its slot until its records' batch
   * is queued (up to batchLingerMs) and waits on several Redis round trips, so with mostly
   * one-article files 8 slots capped a worker (pipeline bench, 2 cores: 8 moved 281-286
   * articles/s, 16 moved 287-309, 24 moved 319-387). 16 keeps the files read at once (up to
   * 4 MiB each in one piece) moderate.
   */
  concurrency: z.object(Object.fromEntries(STAGES.map((s) => [s, int(1).default(s === 'intake' ? 16 : 4)])) as Record<Stage, z.ZodDefault<z.ZodCoercedNumber<unknown>>>),
  attempts: int(1).default(5),
  /** Store jobs wait out an outage of the output store: 12 attempts, capped at backoffMaxMs, is ~6 minutes of patience. */
  storeAttempts: int(1).default(12),
  backoffMs: int(1).default(1000),
  /** Retries double from backoffMs up to this, so a long outage does not leave work waiting for half an hour once it ends. */
  backoffMaxMs: int(1).default(60_000),
  keepCompleted: int(0).default(1000),
  keepFailed: int(0).default(5000),
  shutdownTimeoutMs: int(0).default(20_000),
  /** How long a worker's lock on a job lasts; a killed worker's jobs are taken back after it. */
  lockDurationMs: int(1000).default(30_000),
  stalledIntervalMs: int(1000).default(30_000),
  stabilityMs: int(0).default(500),
  maxFilesInFlight: int(1).default(200),
  /** Intake waits while more records than this wait for clean, so Redis never holds a whole 2 GB file. */
  maxQueuedRecords: int(1).default(20_000),
  /** Items (records, then articles) per job after intake, and the batch's byte bound. */
  batchMaxItems: int(1).default(32),
  batchMaxBytes: int(1024).default(1024 * 1024),
  /** How long intake waits for other files' records to fill a batch before sending it. */
  batchLingerMs: int(0).default(15),
  /** Threads per worker process running clean, split and classify (0: in the event loop, no time budget). */
  cpuThreads: int(0).default(1),
  /** A document still in a CPU stage after this long fails with E_TIME_BUDGET (its thread is replaced). */
  docTimeBudgetMs: int(100).default(30_000),
  maxFileBytes: int(1).default(2 * 1024 ** 3),
  maxDecompressedBytes: int(1).default(4 * 1024 ** 3),
  maxRecordsPerFile: int(1).default(1_000_000),
  maxArticleChars: int(1).default(2_000_000),
  dedupeWindowDays: int(1).default(90),
  /** Near-duplicate tunables (src/dedupe/options.ts), defaulting to the tested ones. Changing one starts a new index (see indexFormatTag). */
  dedupeShingleSize: int(1).default(DEFAULT_DEDUPE_OPTIONS.shingleSize),
  dedupePermutations: int(16).default(DEFAULT_DEDUPE_OPTIONS.permutations),
  dedupeBands: int(1).default(DEFAULT_DEDUPE_OPTIONS.bands),
  dedupeRows: int(1).default(DEFAULT_DEDUPE_OPTIONS.rows),
  dedupeThreshold: z.coerce.number().min(0).max(1).default(DEFAULT_DEDUPE_OPTIONS.containmentThreshold),
  dedupeMinShingles: int(1).default(DEFAULT_DEDUPE_OPTIONS.minShingles),
  /** Articles `copydesk process` remembers for dedupe (~0.8 KB each); past it the oldest are forgotten. */
  processDedupeArticles: int(1).default(DEFAULT_MEMORY_INDEX_ARTICLES),
  modelPath: z.string().optional(),
  port: int(0).default(3000),
  host: z.string().default('127.0.0.1'),
  dashboardUser: z.string().optional(),
  dashboardPassword: z.string().optional(),
  dashboardReadOnly: bool.default(false),
  summaryIntervalMs: int(0).default(60_000),
  /** How often a worker process writes its finished-job figures (timings, counters) to Redis. */
  statsFlushMs: int(50).default(1000),
  startRedis: bool.default(true),
});

export type Config = Readonly<z.infer<typeof ConfigSchema>> & {
  /** The dedupe options the dedupe* keys make, checked together (bands × rows within permutations…). */
  readonly dedupe: DedupeOptions;
  readonly doneDir: string;
  readonly failedDir: string;
  readonly processingDir: string;
};

/** Environment variable for each config key; flags use the key names. */
const ENV_NAMES: Record<string, string> = {
  redisUrl: 'REDIS_URL',
  prefix: 'COPYDESK_PREFIX',
  inbox: 'COPYDESK_INBOX',
  out: 'COPYDESK_OUT',
  stateDir: 'COPYDESK_STATE_DIR',
  store: 'COPYDESK_STORE',
  databaseUrl: 'DATABASE_URL',
  logLevel: 'LOG_LEVEL',
  stages: 'COPYDESK_STAGES',
  attempts: 'COPYDESK_ATTEMPTS',
  storeAttempts: 'COPYDESK_STORE_ATTEMPTS',
  backoffMs: 'COPYDESK_BACKOFF_MS',
  backoffMaxMs: 'COPYDESK_BACKOFF_MAX_MS',
  keepCompleted: 'COPYDESK_KEEP_COMPLETED',
  keepFailed: 'COPYDESK_KEEP_FAILED',
  shutdownTimeoutMs: 'COPYDESK_SHUTDOWN_TIMEOUT_MS',
  lockDurationMs: 'COPYDESK_LOCK_DURATION_MS',
  stalledIntervalMs: 'COPYDESK_STALLED_INTERVAL_MS',
  stabilityMs: 'COPYDESK_STABILITY_MS',
  maxFilesInFlight: 'COPYDESK_MAX_FILES_IN_FLIGHT',
  maxQueuedRecords: 'COPYDESK_MAX_QUEUED_RECORDS',
  batchMaxItems: 'COPYDESK_BATCH_ITEMS',
  batchMaxBytes: 'COPYDESK_BATCH_BYTES',
  batchLingerMs: 'COPYDESK_BATCH_LINGER_MS',
  cpuThreads: 'COPYDESK_CPU_THREADS',
  docTimeBudgetMs: 'COPYDESK_DOC_TIME_BUDGET_MS',
  maxFileBytes: 'COPYDESK_MAX_FILE_BYTES',
  maxDecompressedBytes: 'COPYDESK_MAX_DECOMPRESSED_BYTES',
  maxRecordsPerFile: 'COPYDESK_MAX_RECORDS_PER_FILE',
  maxArticleChars: 'COPYDESK_MAX_ARTICLE_CHARS',
  dedupeWindowDays: 'COPYDESK_DEDUPE_WINDOW_DAYS',
  dedupeShingleSize: 'COPYDESK_DEDUPE_SHINGLE_SIZE',
  dedupePermutations: 'COPYDESK_DEDUPE_PERMUTATIONS',
  dedupeBands: 'COPYDESK_DEDUPE_BANDS',
  dedupeRows: 'COPYDESK_DEDUPE_ROWS',
  dedupeThreshold: 'COPYDESK_DEDUPE_THRESHOLD',
  dedupeMinShingles: 'COPYDESK_DEDUPE_MIN_SHINGLES',
  processDedupeArticles: 'COPYDESK_PROCESS_DEDUPE_ARTICLES',
  modelPath: 'COPYDESK_MODEL',
  port: 'COPYDESK_PORT',
  host: 'COPYDESK_HOST',
  dashboardUser: 'COPYDESK_DASHBOARD_USER',
  dashboardPassword: 'COPYDESK_DASHBOARD_PASSWORD',
  dashboardReadOnly: 'COPYDESK_DASHBOARD_READONLY',
  summaryIntervalMs: 'COPYDESK_SUMMARY_INTERVAL_MS',
  statsFlushMs: 'COPYDESK_STATS_FLUSH_MS',
  startRedis: 'COPYDESK_START_REDIS',
};

export const CONFIG_ENV_NAMES: Readonly<Record<string, string>> = Object.freeze({ ...ENV_NAMES });

export type ConfigOverrides = Partial<Record<keyof z.input<typeof ConfigSchema>, unknown>>;

/** Parses env and flags once; throws E_CONFIG with every problem spelled out. */
export function loadConfig(env: NodeJS.ProcessEnv = {}, overrides: ConfigOverrides = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const concurrency: Record<string, unknown> = {};
  for (const stage of STAGES) {
    const value = env[`COPYDESK_CONCURRENCY_${stage.toUpperCase()}`];
    if (value) concurrency[stage] = value;
  }
  raw.concurrency = concurrency;
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) raw[key] = value;

  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const key = i.path.join('.');
      const envName = ENV_NAMES[String(i.path[0])];
      return `  ${key}${envName ? ` (${envName})` : ''}: ${i.message}`;
    });
    throw new CopydeskError(ERROR_CODES.CONFIG, `invalid configuration:\n${problems.join('\n')}`);
  }
  const c = parsed.data;
  if (c.store === 'postgres' && !c.databaseUrl) {
    throw new CopydeskError(ERROR_CODES.CONFIG, 'invalid configuration:\n  databaseUrl (DATABASE_URL): required when COPYDESK_STORE=postgres');
  }
  // One of the two alone would otherwise serve the dashboard without any auth.
  if (Boolean(c.dashboardUser) !== Boolean(c.dashboardPassword)) {
    throw new CopydeskError(
      ERROR_CODES.CONFIG,
      'invalid configuration:\n  dashboardUser, dashboardPassword (COPYDESK_DASHBOARD_USER, COPYDESK_DASHBOARD_PASSWORD): set both or neither',
    );
  }
  const inbox = path.resolve(c.inbox);
  const dedupe = dedupeFromConfig(c);
  return Object.freeze({
    ...c,
    dedupe: Object.freeze(dedupe),
    inbox,
    out: path.resolve(c.out),
    stateDir: path.resolve(c.stateDir),
    concurrency: Object.freeze(c.concurrency),
    stages: Object.freeze([...c.stages]) as unknown as Stage[],
    doneDir: path.join(inbox, 'done'),
    failedDir: path.join(inbox, 'failed'),
    processingDir: path.join(inbox, '.processing'),
  });
}

/** The dedupe keys become one checked options object (bands × rows within permutations, …). */
function dedupeFromConfig(c: z.infer<typeof ConfigSchema>): DedupeOptions {
  try {
    return dedupeOptions({
      shingleSize: c.dedupeShingleSize,
      permutations: c.dedupePermutations,
      bands: c.dedupeBands,
      rows: c.dedupeRows,
      containmentThreshold: c.dedupeThreshold,
      minShingles: c.dedupeMinShingles,
    });
  } catch (err) {
    throw new CopydeskError(ERROR_CODES.CONFIG, `invalid configuration:\n  dedupe* (COPYDESK_DEDUPE_*): ${(err as Error).message}`);
  }
}
