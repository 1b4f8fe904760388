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
import { formatStatus, readStatus } from './commands/status.js';
import { runExport, runSearch } from './commands/store.js';
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
  .description('run the inbox watcher and every stage worker in one process')
  .action(async (flags: CommonFlags) => {
    const { config, logger } = setup(flags);
    await runPipeline(config, logger, { watcher: true, stages: config.stages });
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
  .description('per queue waiting / active / completed / failed / delayed, and the inbox folders')
  .option('--json', 'print JSON')
  .action(async (flags: CommonFlags & { json?: boolean }) => {
    const { config, logger } = setup({ ...flags, logLevel: flags.logLevel ?? 'warn' });
    const redis = await resolveRedis({ ...config, startRedis: false }, logger);
    const status = await readStatus(config, redis.url);
    process.stdout.write(flags.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
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
