#!/usr/bin/env node
/**
 * The `copydesk` command: the composition root. It parses config once (flags over env over
 * defaults), builds the logger, and hands both to the command.
 */
import { Command, Option } from 'commander';
import { copyFile, lstat, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig, STAGES, type Config, type ConfigOverrides, type Stage } from '../src/config.js';
import { CopydeskError } from '../src/errors.js';
import { createLogger, type Logger } from '../src/logger.js';
import { PIPELINE_VERSION } from '../src/version.js';
import { runPipeline } from './commands/run.js';
import { runProcess } from './commands/process.js';
import { runDashboard, runDedupeRebuild, runFailed, runPause, runReplay, runRetry, runTrain, withQueues } from './commands/ops.js';
import { pipelineStatus, formatStatusTable } from './monitor/ops.js';
import { PipelineStats } from './stats.js';
import { runCluster, runExport, runReview, runSearch } from './commands/store.js';
import { resolveRedis, connectRedis } from './redis.js';
import { Inbox, hashFile } from './inbox.js';
import { openQueues, closeQueues } from './queues.js';
import { submitClaimed } from './submit.js';

interface CommonFlags {
  inbox?: string;
  out?: string;
  prefix?: string;
  logLevel?: string;
  redisUrl?: string;
}

function setup(flags: CommonFlags & ConfigOverrides): { config: Config; logger: Logger } {
  const config = loadConfig(process.env, flags);
  return { config, logger: createLogger(config.logLevel) };
}

function withCommon(cmd: Command): Command {
  return cmd
    .option('--inbox <dir>', 'inbox folder (COPYDESK_INBOX, default ./inbox)')
    .option('--out <dir>', 'output folder for the filesystem store (COPYDESK_OUT, default ./out)')
    .option('--prefix <name>', 'Redis key prefix (COPYDESK_PREFIX, default copydesk)')
    .option('--redis-url <url>', 'Redis URL (REDIS_URL)')
    .addOption(new Option('--log-level <level>', 'log level (LOG_LEVEL)').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']));
}

function parseStages(list: string | undefined): Stage[] | undefined {
  return list ? (list.split(',').map((s) => s.trim()) as Stage[]) : undefined;
}

const program = new Command('copydesk')
  .description('Cleans, splits, deduplicates and classifies raw article dumps on BullMQ workers.')
  .version(PIPELINE_VERSION)
  .showHelpAfterError();

withCommon(program.command('start'))
  .description('run the inbox watcher, every stage worker and the dashboard in one process')
  .option('--port <port>', 'dashboard port (COPYDESK_PORT, default 3000)')
  .action(async (flags: CommonFlags & { port?: string }) => {
    const { config, logger } = setup({ ...flags, port: flags.port });
    await runPipeline(config, logger, { watcher: true, stages: config.stages, monitor: true });
  });

withCommon(program.command('worker'))
  .description('run stage workers only (scale out by starting more)')
  .option('--stages <list>', `comma-separated stages (COPYDESK_STAGES; default all: ${STAGES.join(',')})`)
  .action(async (flags: CommonFlags & { stages?: string }) => {
    const { config, logger } = setup({ ...flags, stages: flags.stages });
    await runPipeline(config, logger, { watcher: false, stages: parseStages(flags.stages) ?? config.stages });
  });

withCommon(program.command('watch'))
  .description('run the inbox watcher only')
  .action(async (flags: CommonFlags) => {
    const { config, logger } = setup(flags);
    await runPipeline(config, logger, { watcher: true, stages: [] });
  });

withCommon(program.command('enqueue'))
  .description('submit files to the pipeline without the inbox (they are copied, never moved)')
  .argument('<files...>')
  .action(async (files: string[], flags: CommonFlags) => {
    const { config, logger } = setup(flags);
    const redis = await resolveRedis({ ...config, startRedis: false }, logger);
    const connection = connectRedis(redis.url, { name: 'copydesk-enqueue' });
    const queues = openQueues(config, connection);
    const inbox = new Inbox(config);
    await inbox.ensureDirs();
    try {
      for (const file of files) {
        const st = await lstat(file);
        if (!st.isFile()) throw new CopydeskError('E_UNSUPPORTED_FORMAT', `${file} is not a regular file`);
        const name = path.basename(file);
        const claimedPath = path.join(config.processingDir, `${Date.now().toString(36)}${randomBytes(3).toString('hex')}__${name}`);
        await mkdir(config.processingDir, { recursive: true });
        await copyFile(file, claimedPath);
        const { sha256, size } = await hashFile(claimedPath);
        const outcome = await submitClaimed({ config, redis: connection, intakeQueue: queues.intake, inbox, logger }, { name, claimedPath, sha256, size, mtime: st.mtime, isSymlink: false });
        process.stdout.write(`${outcome}\t${sha256}\t${file}\n`);
      }
    } finally {
      await closeQueues(queues);
      connection.disconnect();
    }
  });

withCommon(program.command('process'))
  .description('run the stages in-process on files or folders, without Redis')
  .argument('<paths...>')
  .option('--stdout', 'print one JSON record per line instead of writing files')
  .option('--explain', 'print every cut (what was removed and by which rule) to stderr')
  .action(async (paths: string[], flags: CommonFlags & { stdout?: boolean; explain?: boolean }) => {
    const { config } = setup({ ...flags, logLevel: flags.logLevel ?? 'warn' });
    process.exitCode = await runProcess(paths, { out: flags.out, stdout: flags.stdout, explain: flags.explain }, config);
  });

withCommon(program.command('status'))
  .description('per stage waiting / active / completed / failed / delayed, rates, timings, dropped counts; inbox folders')
  .option('--json', 'print JSON')
  .option('--watch [seconds]', 'refresh every few seconds until interrupted')
  .action(async (flags: CommonFlags & { json?: boolean; watch?: boolean | string }) => {
    const { config, logger } = setup({ ...flags, logLevel: flags.logLevel ?? 'warn' });
    await withQueues(config, logger, async (queues, redis) => {
      const stats = new PipelineStats(redis, config);
      const every = flags.watch === undefined ? 0 : Number(flags.watch === true ? 2 : flags.watch) * 1000;
      for (;;) {
        const status = await pipelineStatus({ config, queues, stats });
        const text = flags.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatusTable(status);
        process.stdout.write(every && process.stdout.isTTY ? `\x1b[2J\x1b[H${text}` : text);
        if (!every) return;
        await new Promise((r) => setTimeout(r, every));
      }
    });
  });

withCommon(program.command('dashboard'))
  .description('serve the dashboard, the pipeline overview, /metrics, /healthz and /readyz')
  .option('--port <port>', 'port (COPYDESK_PORT, default 3000)')
  .option('--host <host>', 'address to bind (COPYDESK_HOST, default 127.0.0.1)')
  .action(async (flags: CommonFlags & { port?: string; host?: string }) => {
    const { config, logger } = setup({ ...flags, port: flags.port, host: flags.host });
    await runDashboard(config, logger);
  });

withCommon(program.command('failed'))
  .description('list failed jobs: stage, job id, file, error code, message')
  .option('--stage <stage>', 'only this stage')
  .option('--json', 'print JSON')
  .action(async (flags: CommonFlags & { stage?: string; json?: boolean }) => {
    const { config, logger } = setup({ ...flags, logLevel: flags.logLevel ?? 'warn' });
    await runFailed(config, logger, flags);
  });

withCommon(program.command('retry'))
  .description('retry a failed job, or every failed job (of a stage)')
  .argument('[job-id]')
  .option('--all', 'every failed job')
  .option('--stage <stage>', 'only this stage')
  .action(async (jobId: string | undefined, flags: CommonFlags & { all?: boolean; stage?: string }) => {
    const { config, logger } = setup({ ...flags, logLevel: flags.logLevel ?? 'warn' });
    await runRetry(config, logger, jobId, flags);
  });

for (const [name, pause] of [['pause', true], ['resume', false]] as const) {
  withCommon(program.command(name))
    .description(`${name} a stage's queue (workers ${pause ? 'stop taking' : 'take'} its jobs)`)
    .argument('<stage>')
    .action(async (stage: string, flags: CommonFlags) => {
      const { config, logger } = setup({ ...flags, logLevel: flags.logLevel ?? 'warn' });
      await runPause(config, logger, stage, pause);
    });
}

withCommon(program.command('replay'))
  .description('move files from failed/ back into the inbox, to be processed again')
  .argument('[files...]')
  .option('--failed', 'every file in failed/')
  .action(async (files: string[], flags: CommonFlags & { failed?: boolean }) => {
    const { config, logger } = setup({ ...flags, logLevel: flags.logLevel ?? 'warn' });
    await runReplay(config, logger, files, flags);
  });

program
  .command('train')
  .description('train a topic model on labeled JSON lines ({"text", "label"}); label: an IPTC medtop code or an alias')
  .argument('<labeled.jsonl>')
  .requiredOption('--out <model.json>', 'where to write the model')
  .action(async (input: string, flags: { out: string }) => {
    await runTrain(input, flags);
  });

withCommon(program.command('dedupe').description('the dedupe index')
  .command('rebuild'))
  .description('rebuild the dedupe index in Redis from the output store')
  .option('--store <kind>', 'fs or postgres (COPYDESK_STORE)')
  .action(async (flags: CommonFlags & { store?: string }) => {
    const { config, logger } = setup({ ...flags, store: flags.store, logLevel: flags.logLevel ?? 'warn' });
    await runDedupeRebuild(config, logger);
  });

withCommon(program.command('search'))
  .description('full-text search in the output store (files or PostgreSQL)')
  .argument('<query>')
  .option('--limit <n>', 'results at most', '20')
  .option('--json', 'print whole records as JSON lines')
  .option('--store <kind>', 'fs or postgres (COPYDESK_STORE)')
  .action(async (query: string, flags: CommonFlags & { limit: string; json?: boolean; store?: string }) => {
    const { config, logger } = setup({ ...flags, store: flags.store, logLevel: flags.logLevel ?? 'warn' });
    await runSearch(config, logger, query, { limit: Number(flags.limit), json: flags.json });
  });

withCommon(program.command('cluster'))
  .description("a story's copies in the output store: the canonical article first, then its duplicates")
  .argument('<clusterId>', 'a record\'s dedupe.clusterId (the id of the first article of the story)')
  .option('--json', 'print whole records as JSON lines')
  .option('--store <kind>', 'fs or postgres (COPYDESK_STORE)')
  .action(async (clusterId: string, flags: CommonFlags & { json?: boolean; store?: string }) => {
    const { config, logger } = setup({ ...flags, store: flags.store, logLevel: flags.logLevel ?? 'warn' });
    await runCluster(config, logger, clusterId, { json: flags.json });
  });

withCommon(program.command('review'))
  .description('articles flagged needsReview as rows to label for `copydesk train` (stdout or --output FILE)')
  .option('--output <file>', 'write to a file instead of stdout')
  .option('--all', 'every stored article, not only those flagged')
  .option('--store <kind>', 'fs or postgres (COPYDESK_STORE)')
  .action(async (flags: CommonFlags & { output?: string; all?: boolean; store?: string }) => {
    const { config, logger } = setup({ ...flags, store: flags.store, logLevel: flags.logLevel ?? 'warn' });
    await runReview(config, logger, { output: flags.output, all: flags.all });
  });

withCommon(program.command('export'))
  .description('write every stored article as JSON lines (stdout or --output FILE)')
  .option('--output <file>', 'write to a file instead of stdout')
  .option('--store <kind>', 'fs or postgres (COPYDESK_STORE)')
  .action(async (flags: CommonFlags & { output?: string; store?: string }) => {
    const { config, logger } = setup({ ...flags, store: flags.store, logLevel: flags.logLevel ?? 'warn' });
    await runExport(config, logger, { output: flags.output });
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CopydeskError) {
    process.stderr.write(`copydesk: ${err.message}\n`);
  } else {
    process.stderr.write(`copydesk: ${(err as Error)?.stack ?? String(err)}\n`);
  }
  process.exitCode = 1;
});
