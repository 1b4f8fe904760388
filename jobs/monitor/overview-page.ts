/**
 * The pipeline overview page: plain server-rendered HTML (no scripts), refreshed by the
 * browser every few seconds, so it works wherever the dashboard does.
 */
import { JOB_STATES, type PipelineStatus } from './status.js';

const REFRESH_SECONDS = 5;

export function renderOverview(status: PipelineStatus, opts: { dashboardHref: string }): string {
  const stageRows = status.stages
    .map((s) => {
      const cells = [
        `<th scope="row">${esc(s.stage)}${s.isPaused ? ' <span class="paused">paused</span>' : ''}</th>`,
        ...JOB_STATES.map((state) => num(s.jobs[state], state === 'failed' && s.jobs.failed > 0 ? 'bad' : '')),
        num(s.workers ?? '–'),
        num(s.processed),
        num(s.failed, s.failed > 0 ? 'bad' : ''),
        num(s.throughputPerMinute.toFixed(1)),
        num(ms(s.p50Ms)),
        num(ms(s.p95Ms)),
        num(age(s.oldestWaitingAgeMs)),
        `<td>${esc(formatCounts(s.dropped)) || '–'}</td>`,
      ];
      return `<tr data-stage="${esc(s.stage)}">${cells.join('')}</tr>`;
    })
    .join('\n');
  const head = ['stage', ...JOB_STATES, 'workers', 'processed', 'failed (final)', 'per min', 'p50', 'p95', 'oldest waiting', 'dropped']
    .map((h) => `<th scope="col">${esc(h)}</th>`)
    .join('');
  const f = status.files;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="${REFRESH_SECONDS}">
<title>copydesk · pipeline overview</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1d2430;background:#f7f8fa}
h1{font-size:1.3rem;margin:0 0 .3rem} h2{font-size:1.05rem;margin:1.4rem 0 .4rem}
table{border-collapse:collapse;background:#fff} th,td{border:1px solid #d5dae1;padding:.3rem .6rem}
thead th{background:#eef1f5;text-align:left} tbody th{text-align:left} td.n{text-align:right;font-variant-numeric:tabular-nums}
.bad{color:#b3261e;font-weight:600} .paused{font-size:.75rem;background:#ffe8a3;padding:0 .3rem;border-radius:3px}
nav a{margin-right:1rem} small{color:#5b6574}
</style>
</head>
<body>
<h1>copydesk pipeline</h1>
<nav><a href="${esc(opts.dashboardHref)}">Queues dashboard</a><a href="api/pipeline">JSON</a><a href="metrics">Prometheus metrics</a></nav>
<small>updated ${esc(status.generatedAt)} · refreshes every ${REFRESH_SECONDS} s · per min = jobs finished per minute over the last 5 minutes</small>
<h2>Stages</h2>
<table id="stages"><thead><tr>${head}</tr></thead>
<tbody>
${stageRows}
</tbody></table>
<h2>Files</h2>
<table id="files"><thead><tr><th>inbox</th><th>processing</th><th>done</th><th>failed</th></tr></thead>
<tbody><tr>${num(f.inbox)}${num(f.processing)}${num(f.done)}${num(f.failed, f.failed > 0 ? 'bad' : '')}</tr></tbody></table>
<h2>Articles</h2>
<table id="articles"><thead><tr><th>stored</th><th>duplicates</th></tr></thead>
<tbody><tr>${num(status.articles.stored)}${num(status.articles.duplicates)}</tr></tbody></table>
<h2>Failures by error code</h2>
<p id="failures">${esc(formatCounts(status.failuresByCode)) || 'none'}</p>
</body>
</html>
`;
}

export function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}

export function ms(value: number | null, none = '–'): string {
  if (value === null) return none;
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

export function age(valueMs: number | null, none = '–'): string {
  if (valueMs === null) return none;
  const s = valueMs / 1000;
  if (s < 60) return `${s.toFixed(0)} s`;
  if (s < 3600) return `${(s / 60).toFixed(0)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

function num(value: number | string, cls = ''): string {
  return `<td class="n${cls ? ` ${cls}` : ''}">${esc(String(value))}</td>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
