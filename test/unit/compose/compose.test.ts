import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { CONFIG_ENV_NAMES, STAGES, loadConfig } from '../../../src/config.js';
import { METRIC_NAMES } from '../../../jobs/monitor/metrics.js';
import { COMPOSE_PATH, ROOT, durationMs, interpolate, parseCompose, readComposeText, variablesOf, type ComposeService } from './compose-file.js';

const require = createRequire(import.meta.url);
const DCLINT_DIR = path.dirname(require.resolve('dclint/package.json'));
const DCLINT_BIN = path.join(DCLINT_DIR, 'bin', 'dclint.cjs');

function composeValidator() {
  const schema = JSON.parse(readFileSync(path.join(DCLINT_DIR, 'schemas', 'compose.schema.json'), 'utf8')) as Record<string, unknown>;
  // The schema names draft-07 by its https URL; Ajv registers draft-07 under the http one
  // (dclint makes the same substitution), so the schema itself is still checked against draft-07.
  expect(schema.$schema).toBe('https://json-schema.org/draft-07/schema');
  schema.$schema = 'http://json-schema.org/draft-07/schema#';
  // strict: false — the compose-spec uses annotations Ajv does not know (e.g. deprecated).
  return new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
}

function dclint(file: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [DCLINT_BIN, file, '-c', path.join(ROOT, '.dclintrc'), '--max-warnings', '0', '--color', 'false'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const CONCURRENCY_ENV = STAGES.map((s) => `COPYDESK_CONCURRENCY_${s.toUpperCase()}`);
const KNOWN_APP_ENV = new Set([...Object.values(CONFIG_ENV_NAMES), ...CONCURRENCY_ENV]);
/** What an operator would have after `cp .env.example .env` and nothing else. */
const MINIMAL_ENV = { POSTGRES_PASSWORD: 'secret' };

const compose = parseCompose();
const services = compose.services;
const APP_SERVICES = ['worker', 'watcher', 'dashboard'] as const;

function resolvedEnv(service: ComposeService): Record<string, string> {
  return Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), MINIMAL_ENV)]));
}

function mountsOf(service: ComposeService): Map<string, string> {
  return new Map((service.volumes ?? []).map((v) => {
    const [source, target] = v.split(':');
    return [target!, source!];
  }));
}

describe('docker-compose.yml against the compose-spec schema and dclint', () => {
  it('passes the compose-spec JSON schema bundled with dclint', () => {
    const validate = composeValidator();
    const ok = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check is live: a malformed service is rejected', () => {
    const validate = composeValidator();
    const broken = structuredClone(compose);
    (broken.services.worker as Record<string, unknown>).stop_grace_period = 30;
    (broken.services.redis as Record<string, unknown>).healthcheck = { test: ['CMD-SHELL', 'true'], intervall: '5s' };
    expect(validate(broken)).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath)).toEqual(
      expect.arrayContaining(['/services/worker/stop_grace_period', '/services/redis/healthcheck']),
    );
  });

  it('passes dclint with no error and no warning', () => {
    const { status, output } = dclint(COMPOSE_PATH);
    expect(output.trim(), output).toBe('');
    expect(status).toBe(0);
  });

  it('dclint really lints: a port published on every interface fails', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'copydesk-compose-'));
    try {
      const file = path.join(dir, 'docker-compose.yml');
      writeFileSync(file, readComposeText().replace('"127.0.0.1:3000:3000"', '"3000:3000"'));
      const { status, output } = dclint(file);
      expect(status).not.toBe(0);
      expect(output).toMatch(/no-unbound-port-interfaces/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('docker-compose.yml services', () => {
  it('redis keeps jobs: AOF on, noeviction, a healthcheck and a named volume', () => {
    const redis = services.redis!;
    expect(redis.image).toMatch(/^redis:7/);
    const command = redis.command!.join(' ');
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
    expect(JSON.stringify(redis.healthcheck?.test)).toMatch(/redis-cli ping/);
    const dataVolume = mountsOf(redis).get('/data');
    expect(dataVolume).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(dataVolume);
  });

  it('postgres has a named volume for its data and a readiness healthcheck', () => {
    const pg = services.postgres!;
    expect(pg.image).toMatch(/^postgres:16/);
    expect(Object.keys(compose.volumes ?? {})).toContain(mountsOf(pg).get('/var/lib/postgresql/data'));
    expect(JSON.stringify(pg.healthcheck?.test)).toMatch(/pg_isready/);
  });

  it('workers scale, run under an init, and get longer to stop than their shutdown bound', () => {
    const worker = services.worker!;
    expect(worker.command).toEqual(['worker']);
    expect(worker.init).toBe(true);
    expect(worker.build).toBeDefined();
    const replicas = Number(interpolate(String(worker.deploy?.replicas), MINIMAL_ENV));
    expect(Number.isInteger(replicas) && replicas >= 1).toBe(true);
    const shutdownMs = loadConfig(resolvedEnv(worker)).shutdownTimeoutMs;
    expect(shutdownMs).toBe(loadConfig({}).shutdownTimeoutMs);
    // The bound plus time to close connections must fit before Docker's SIGKILL.
    expect(durationMs(worker.stop_grace_period!)).toBeGreaterThanOrEqual(shutdownMs + 5000);
    for (const name of CONCURRENCY_ENV) expect(worker.environment).toHaveProperty(name);
  });

  it('workers wait for healthy redis and postgres and store into postgres', () => {
    const worker = services.worker!;
    expect(worker.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    const config = loadConfig(resolvedEnv(worker));
    expect(config.store).toBe('postgres');
    expect(config.databaseUrl).toBe('postgres://copydesk:secret@postgres:5432/copydesk');
    expect(config.redisUrl).toBe('redis://redis:6379');
    expect(config.startRedis).toBe(false);
    expect(config.stages).toEqual([...STAGES]);
  });

  it('watcher and workers share the inbox (workers move claimed files to done/ and failed/); out is mounted', () => {
    for (const name of ['watcher', 'worker'] as const) {
      const service = services[name]!;
      const env = loadConfig(resolvedEnv(service));
      const mounts = mountsOf(service);
      expect(mounts.get(env.inbox), `${name} inbox`).toBe('./inbox');
      expect(mounts.get(env.out), `${name} out`).toBe('./out');
    }
    expect(services.watcher!.command).toEqual(['watch']);
  });

  it('the dashboard listens on all interfaces inside its container and is published on port 3000', () => {
    const dashboard = services.dashboard!;
    expect(dashboard.command).toEqual(['dashboard']);
    const config = loadConfig(resolvedEnv(dashboard));
    expect(config.host).toBe('0.0.0.0');
    expect(dashboard.ports).toContain(`127.0.0.1:${config.port}:${config.port}`);
  });

  it('runs commands the copydesk CLI has', () => {
    const cli = readFileSync(path.join(ROOT, 'jobs/cli.ts'), 'utf8');
    for (const name of APP_SERVICES) {
      const command = services[name]!.command![0]!;
      expect(cli, `${name}: copydesk ${command}`).toContain(`.command('${command}')`);
    }
  });

  it('every copydesk setting reaches the containers that use it', () => {
    const passed = new Set(APP_SERVICES.flatMap((name) => Object.keys(services[name]!.environment ?? {})));
    expect([...KNOWN_APP_ENV].filter((n) => !passed.has(n)).sort()).toEqual([]);
  });

  it('copydesk services only set variables copydesk reads, and every one parses', () => {
    for (const name of APP_SERVICES) {
      const service = services[name]!;
      const unknown = Object.keys(service.environment ?? {}).filter((k) => !KNOWN_APP_ENV.has(k));
      expect(unknown, name).toEqual([]);
      expect(() => loadConfig(resolvedEnv(service)), name).not.toThrow();
    }
  });

  it('refuses to start without a PostgreSQL password instead of inventing one', () => {
    expect(() => interpolate(services.postgres!.environment!.POSTGRES_PASSWORD!, {})).toThrow(/POSTGRES_PASSWORD/);
  });
});

describe('the monitoring profile', () => {
  it('runs Prometheus and Grafana only under the monitoring profile, from files that exist', () => {
    for (const name of ['prometheus', 'grafana']) {
      const service = services[name]!;
      expect(service.profiles).toEqual(['monitoring']);
      for (const [, source] of mountsOf(service)) {
        if (source.startsWith('./')) expect(existsSync(path.join(ROOT, source)), source).toBe(true);
      }
    }
    for (const name of ['redis', 'postgres', ...APP_SERVICES]) expect(services[name]!.profiles).toBeUndefined();
  });

  it('Prometheus scrapes the dashboard service on its port', () => {
    const prom = parse(readFileSync(path.join(ROOT, 'src/deploy/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { metrics_path: string; static_configs: { targets: string[] }[] }[];
    };
    const port = loadConfig(resolvedEnv(services.dashboard!)).port;
    const job = prom.scrape_configs[0]!;
    expect(job.metrics_path).toBe('/metrics');
    expect(job.static_configs.flatMap((c) => c.targets)).toContain(`dashboard:${port}`);
  });

  it('the provisioned Grafana dashboard queries metrics copydesk exports, through the provisioned datasource', () => {
    const datasources = parse(readFileSync(path.join(ROOT, 'src/deploy/grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as {
      datasources: { uid: string; url: string }[];
    };
    const uid = datasources.datasources[0]!.uid;
    expect(datasources.datasources[0]!.url).toBe('http://prometheus:9090');
    const dashboard = JSON.parse(readFileSync(path.join(ROOT, 'src/deploy/grafana/dashboards/copydesk.json'), 'utf8')) as {
      uid: string;
      panels: { title: string; datasource: { uid: string }; targets: { expr: string }[] }[];
    };
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(6);
    const exported = new Set<string>(Object.values(METRIC_NAMES).flatMap((n) => [n, `${n}_bucket`, `${n}_sum`, `${n}_count`]));
    const used = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid, panel.title).toBe(uid);
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const t of panel.targets) for (const m of t.expr.match(/copydesk_[a-z_]+/g) ?? []) used.add(m);
    }
    expect([...used].filter((m) => !exported.has(m))).toEqual([]);
    // Every exported family has a panel.
    for (const name of Object.values(METRIC_NAMES)) expect([...used].some((m) => m.startsWith(name)), name).toBe(true);
  });
});

describe('.env.example', () => {
  const text = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
  const listed = new Set([...text.matchAll(/^#?\s?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));

  it('lists every variable copydesk reads and every variable docker-compose.yml uses', () => {
    const needed = new Set([...KNOWN_APP_ENV, ...variablesOf(readComposeText()).keys()]);
    expect([...needed].filter((n) => !listed.has(n)).sort()).toEqual([]);
  });

  it('lists nothing that neither copydesk nor compose reads', () => {
    const used = new Set([...KNOWN_APP_ENV, ...variablesOf(readComposeText()).keys()]);
    expect([...listed].filter((n) => !used.has(n)).sort()).toEqual([]);
  });

  it('shows the defaults that apply: copydesk\'s own for passed-through settings, compose\'s for the rest', () => {
    const composeText = readComposeText();
    const shown = new Map([...text.matchAll(/^#?\s?([A-Z][A-Z0-9_]*)=(.+)$/gm)].map((m) => [m[1]!, m[2]!]));
    const wrong: string[] = [];
    for (const [name, composeDefault] of variablesOf(composeText)) {
      const value = shown.get(name);
      if (value === undefined) continue;
      const passedThrough = composeText.includes(`${name}: \${${name}:-}`);
      if (passedThrough && KNOWN_APP_ENV.has(name)) {
        if (JSON.stringify(loadConfig({ [name]: value })) !== JSON.stringify(loadConfig({}))) wrong.push(`${name}=${value} is not copydesk's default`);
      } else if (composeDefault !== undefined && composeDefault !== value) {
        wrong.push(`${name}=${value}, compose uses ${composeDefault}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
