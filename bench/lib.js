// Shared helpers for the benchmarks: timing, peak RSS, the sqlite3 CLI reference, a table printer.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(ROOT, 'bin', 'carnet.js');
// The shared data sets sit beside the main checkout; a worktree under wt/ finds them one level further up.
export const SHARED = process.env.CARNET_SHARED_DATA ?? [resolve(ROOT, '..', 'shared', 'data'), resolve(ROOT, '..', '..', 'shared', 'data')].find((d) => existsSync(d)) ?? resolve(ROOT, '..', 'shared', 'data');
export const OUT = join(ROOT, 'bench', 'out');
const GNU_TIME = '/usr/bin/time';

export function outDir() {
  mkdirSync(OUT, { recursive: true });
  return OUT;
}

export function tempDir(prefix = 'carnet-bench-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs a command once; returns wall seconds, peak RSS in MB (GNU time when
 * installed, else null), exit code, stdout and stderr.
 */
export function measure(cmd, args, opts = {}) {
  const useTime = existsSync(GNU_TIME);
  const argv = useTime ? [GNU_TIME, '-f', '__CPU_S=%U+%S __RSS_KB=%M', cmd, ...args] : [cmd, ...args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    env: { ...process.env, CI: 'true', ...(opts.env ?? {}) },
    input: opts.input,
    cwd: opts.cwd ?? ROOT,
    shell: false,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let stderr = r.stderr ?? '';
  let rssMb = null;
  // CPU seconds (user + system) beside the wall time: on a shared machine the wall time says little.
  let cpuSeconds = null;
  const m = /__CPU_S=([\d.]+)\+([\d.]+) __RSS_KB=(\d+)\s*$/.exec(stderr);
  if (m) {
    cpuSeconds = Number(m[1]) + Number(m[2]);
    rssMb = Number(m[3]) / 1024;
    stderr = stderr.slice(0, m.index);
  }
  return { seconds, cpuSeconds, rssMb, code: r.status, stdout: r.stdout ?? '', stderr };
}

/** Median of n runs (the first one warms caches and is dropped when n > 2). */
export function median(cmd, args, n = 7, opts = {}) {
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(measure(cmd, args, opts));
  const kept = n > 2 ? runs.slice(1) : runs;
  const sorted = [...kept].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor(sorted.length / 2)];
}

export function hasSqlite3() {
  return spawnSync('sqlite3', ['-version'], { encoding: 'utf8' }).status === 0;
}

export function carnet(args, opts = {}) {
  return measure(process.execPath, [BIN, ...args], opts);
}

export function fmt(n, digits = 2) {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  if (typeof n !== 'number') return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return n >= 1000 ? Math.round(n).toLocaleString('en-US') : n.toFixed(digits);
}

/** Prints rows of objects as an aligned table on stdout. */
export function printTable(title, rows) {
  if (rows.length === 0) return;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => cols.map((c) => (typeof r[c] === 'number' ? fmt(r[c]) : r[c] === undefined ? '' : String(r[c]))));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  console.log(`\n## ${title}\n`);
  console.log(cols.map((c, i) => c.padEnd(widths[i])).join('  '));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of cells) console.log(row.map((v, i) => v.padEnd(widths[i])).join('  '));
}

export { rng } from './rng.js';
