// Dev harness (issue 15): one carnet command against bench/engines.js's private cluster (started
// by it, or by hand: port 5499, socket bench/out/pg-sock), CPU seconds of carnet and of the
// server's processes, as the engines bench counts them.
//   node bench/dev/pg-cpu.js fresh|keep DB -- import FILE --json -q
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN as HERE, OUT } from '../lib.js';
const BIN = process.env.CARNET_BIN ?? HERE;

const sock = join(OUT, 'pg-sock');
const [mode, db, sep, ...args] = process.argv.slice(2);
if (sep !== '--') throw new Error('usage: pg-cpu.js fresh|keep DB -- carnet args…');
const psql = (d, sql) => execFileSync('psql', ['-h', sock, '-p', '5499', '-U', 'postgres', '-d', d, '-v', 'ON_ERROR_STOP=1', '-qc', sql]);
function serverCpu() {
  const ticks = (pid) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const pm = Number(readFileSync(join(sock, '.s.PGSQL.5499.lock'), 'utf8').split('\n')[0]);
  const f = ticks(pm);
  let t = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try { const c = ticks(p); if (Number(c[1]) === pm) t += Number(c[11]) + Number(c[12]); } catch { /* gone */ }
  }
  return t / 100;
}
if (mode === 'fresh') { psql('postgres', `DROP DATABASE IF EXISTS ${db}`); psql('postgres', `CREATE DATABASE ${db}`); }
const url = `postgresql://postgres@/${db}?host=${encodeURIComponent(sock)}&port=5499`;
const s0 = serverCpu();
const r = spawnSync('/usr/bin/time', ['-f', '__T=%U %S %M', process.execPath, BIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, CI: 'true', CARNET_NOW: '2026-11-23T10:00:00.000Z', CARNET_DB: url } });
execFileSync('sleep', ['0.3']);
const server = serverCpu() - s0;
const m = /__T=([\d.]+) ([\d.]+) (\d+)\s*$/.exec(r.stderr ?? '');
if (r.status !== 0) { console.error(r.stderr.slice(-2000)); process.exit(1); }
const carnet = Number(m[1]) + Number(m[2]);
console.log(`carnet ${carnet.toFixed(2)} s + server ${server.toFixed(2)} s = ${(carnet + server).toFixed(2)} s CPU  (rss ${(Number(m[3]) / 1024).toFixed(0)} MB)`);
if (process.env.SHOW) console.log(r.stdout.slice(0, 3000));
