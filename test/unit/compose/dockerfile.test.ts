import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './compose-file.js';

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions with line continuations joined and comments dropped. */
function instructions(text: string): Instruction[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

const dockerfile = instructions(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const stages = dockerfile.reduce<Instruction[][]>((acc, i) => {
  if (i.op === 'FROM') acc.push([]);
  acc.at(-1)?.push(i);
  return acc;
}, []);
const runtime = stages.at(-1)!;
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };

describe('Dockerfile', () => {
  it('builds in one stage and ships a slim runtime stage with production dependencies only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stages[0]!;
    expect(build.some((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args))).toBe(true);
    expect(build.some((i) => i.op === 'RUN' && /\bnpm run build\b/.test(i.args))).toBe(true);
    expect(pkg.scripts.build).toMatch(/tsconfig\.build\.json/);
    expect(runtime[0]!.args).toMatch(/^node:20-slim\b/);
    const install = runtime.find((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args));
    expect(install?.args).toMatch(/--omit=dev/);
    expect(install?.args).toMatch(/--ignore-scripts/);
    expect(runtime.some((i) => i.op === 'COPY' && /--from=build\b.*\bdist\b/.test(i.args))).toBe(true);
  });

  it('runs as the unprivileged node user', () => {
    const users = runtime.filter((i) => i.op === 'USER');
    expect(users.at(-1)?.args).toBe('node');
  });

  it('starts the copydesk CLI in exec form, so SIGTERM reaches node', () => {
    const entrypoint = runtime.filter((i) => i.op === 'ENTRYPOINT').at(-1)!;
    const argv = JSON.parse(entrypoint.args) as string[];
    expect(argv).toEqual(['node', pkg.bin.copydesk!.replace(/^\.\//, '')]);
    expect(argv[1]).toBe('dist/jobs/cli.js');
  });

  it('.dockerignore keeps secrets and local state out of the image but keeps what the build needs', () => {
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const needed of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'jobs']) {
      expect(ignored).not.toContain(needed);
    }
    for (const excluded of ['.env', 'node_modules', '.git', 'inbox', 'out', '.copydesk']) expect(ignored).toContain(excluded);
  });
});
