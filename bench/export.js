// carnet export speed and memory: 1,000,000 customers to CSV in at most 2x the time
// of `sqlite3 -csv` writing the same columns to a file, with flat memory.
// The database is built once with direct better-sqlite3 inserts into bench/out/
// (not through carnet add) and reused while it has the expected size.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BIN, ROOT, hasSqlite3, outDir } from './lib.js';
import { rng } from './rng.js';

const FIRST = ['Élodie', 'Jean-Pierre', 'Hélène', 'Marc', 'Sophie', 'Luc', 'Camille', 'Thomas', 'Inès', 'Nathalie', 'Océane', 'François', 'Zoé', 'Loïc'];
const LAST = ['Meyer', 'Dupont', 'Lefèvre', 'Martin', 'Bernard', 'Durand', 'Moreau', 'Laurent', 'Girard', "N'Diaye", 'Roux', 'Fournier', 'Bonnet'];
const CITIES = [['69003', 'Lyon'], ['75011', 'Paris'], ['13001', 'Marseille'], ['31000', 'Toulouse'], ['44000', 'Nantes'], ['59000', 'Lille'], ['67000', 'Strasbourg'], ['33000', 'Bordeaux'], ['97400', 'Saint-Denis']];
const STREETS = ['rue des Lilas', 'avenue Jean Jaurès', 'bd de la Libération', 'place Bellecour', 'chemin du Moulin', 'allée des Tilleuls'];

/** The columns the reference sqlite3 query and `carnet export --columns` both write. */
const COLUMNS = [
  'id', 'uid', 'kind', 'civility', 'first_name', 'last_name', 'company_name', 'legal_form', 'siret', 'vat_number', 'sector', 'job_title',
  'email', 'phone', 'phone_e164', 'mobile', 'mobile_e164', 'address_line1', 'address_line2', 'postal_code', 'city', 'country',
  'birth_date', 'website', 'owner', 'region', 'status', 'source', 'external_id', 'external_source', 'notes', 'extra',
  'created_at', 'updated_at', 'last_contact_at', 'restricted_at', 'archived_at',
];

function pad2(n) {
  return String(n).padStart(2, '0');
}

export function buildDb(path, n) {
  if (existsSync(path)) {
    try {
      const db = new Database(path, { readonly: true });
      const count = db.prepare('SELECT count(*) AS n FROM customers').get().n;
      db.close();
      if (count === n) return { built: false, seconds: 0 };
    } catch {
      // rebuilt below
    }
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const t0 = Date.now();
  // The schema comes from carnet itself (its migrations), the rows straight from better-sqlite3.
  const init = spawnSync(process.execPath, [BIN, 'init'], { env: { ...process.env, CARNET_DB: path }, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`carnet init failed: ${init.stderr}`);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const r = rng(42);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const insert = db.prepare(`INSERT INTO customers (uid, kind, civility, first_name, last_name, company_name, legal_form, siret, email, email_norm,
    phone, phone_e164, mobile, mobile_e164, address_line1, postal_code, city, country, birth_date, status, source, external_id, notes, extra,
    created_at, updated_at, last_contact_at, restricted_at, archived_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const consent = db.prepare(`INSERT INTO consents (customer_id, channel, purpose, state, source, recorded_at) VALUES (?, ?, 'marketing', ?, 'bench', ?)`);
  db.exec(`INSERT INTO categories (name, kind, created_at) VALUES ('VIP', 'manual', '2024-01-01T00:00:00Z'), ('Professionnels', 'manual', '2024-01-01T00:00:00Z')`);
  const tag = db.prepare(`INSERT INTO customer_categories (customer_id, category_id, assigned_at) VALUES (?, ?, '2024-01-01T00:00:00Z')`);
  db.transaction(() => {
    for (let i = 1; i <= n; i++) {
      const company = r() < 0.1;
      const first = company ? null : pick(FIRST);
      const last = company ? null : pick(LAST);
      const [postal, city] = pick(CITIES);
      const mobile = `06${String(Math.floor(r() * 1e8)).padStart(8, '0')}`;
      const hasPhone = r() < 0.3;
      const fixed = `04${String(Math.floor(r() * 1e8)).padStart(8, '0')}`;
      const email = `${(first ?? 'contact').toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}.${i}@exemple.fr`;
      const created = `20${pad2(15 + (i % 10))}-${pad2(1 + (i % 12))}-${pad2(1 + (i % 28))}T10:00:00.000Z`;
      const uid = `${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`;
      insert.run(
        uid, company ? 'company' : 'person', company ? null : pick(['M.', 'Mme']), first, last,
        company ? `${pick(LAST)} et Fils SARL` : null, company ? 'SARL' : null, company ? '73282932000074' : null, email, email,
        hasPhone ? `${fixed.slice(0, 2)} ${fixed.slice(2, 4)} ${fixed.slice(4, 6)} ${fixed.slice(6, 8)} ${fixed.slice(8)}` : null,
        hasPhone ? `+33${fixed.slice(1)}` : null,
        company ? null : `${mobile.slice(0, 2)} ${mobile.slice(2, 4)} ${mobile.slice(4, 6)} ${mobile.slice(6, 8)} ${mobile.slice(8)}`,
        company ? null : `+33${mobile.slice(1)}`,
        `${1 + (i % 120)} ${pick(STREETS)}`, postal, city, 'FR', r() < 0.3 ? `19${50 + (i % 50)}-${pad2(1 + (i % 12))}-${pad2(1 + (i % 28))}` : null,
        pick(['prospect', 'client', 'client', 'former_client']), pick(['Salon', 'Site web', 'Bouche à oreille']), `C${i}`,
        r() < 0.1 ? 'Préfère être appelé le matin, "urgent" si devis; rappeler' : null,
        r() < 0.2 ? '{"fidelite":"or","canal":"Salon"}' : '{}',
        created, created, null, r() < 0.005 ? created : null, r() < 0.01 ? created : null,
      );
      if (r() < 0.3) consent.run(i, 'email', r() < 0.9 ? 'granted' : 'withdrawn', created);
      if (r() < 0.05) consent.run(i, 'sms', 'opposed', created);
      if (r() < 0.1) tag.run(i, 1 + (i % 2));
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { built: true, seconds: (Date.now() - t0) / 1000 };
}

/**
 * Runs a shell line (output redirected to a file) under GNU time: wall and
 * CPU seconds (user + system, all threads) and peak RSS. CPU time is what a
 * busy machine distorts least.
 */
function timed(line, env = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '__T=%e %U %S %M', 'bash', '-c', line], { encoding: 'utf8', env: { ...process.env, CI: 'true', ...env }, cwd: ROOT });
  const m = /__T=([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(r.stderr ?? '');
  if (r.status !== 0 || !m) throw new Error(`${line} failed (${r.status}): ${r.stderr}`);
  return { seconds: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMb: Number(m[4]) / 1024 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs the lines in turn, `runs` rounds, so that a burst of load hits all of them alike; medians per line. */
function interleaved(lines, runs) {
  const all = lines.map(() => []);
  for (let i = 0; i < runs; i++) lines.forEach((l, j) => all[j].push(timed(l)));
  return all.map((rs) => ({ seconds: median(rs.map((r) => r.seconds)), cpu: median(rs.map((r) => r.cpu)), rssMb: Math.max(...rs.map((r) => r.rssMb)) }));
}

const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

export async function run({ quick } = {}) {
  if (!hasSqlite3()) return [{ title: 'export: sqlite3 CLI not installed, reference not measured', rows: [] }];
  const n = quick ? 100_000 : 1_000_000;
  // Worker threads only help with idle cores: the load says what this machine had to spare.
  const load0 = loadavg()[0];
  const dir = outDir();
  const db = join(dir, `export-${n}.db`);
  const build = buildDb(db, n);
  const out = join(dir, 'export-out');
  const runs = quick ? 3 : 5;
  const carnet = (args, file) => `${q(process.execPath)} ${q(BIN)} --db ${q(db)} export ${args} > ${q(file)}`;
  const cols = COLUMNS.join(',');

  // Warm the page cache once, so the first measured command does not pay for the disk.
  timed(`cat ${q(db)} > /dev/null`);
  const [ref, same, one, two] = interleaved(
    [
      `sqlite3 -csv -header ${q(db)} ${q(`SELECT ${cols} FROM customers ORDER BY id`)} > ${q(out + '.sqlite3.csv')}`,
      carnet(`--columns ${cols}`, `${out}.csv`),
      `CARNET_EXPORT_THREADS=0 ${carnet(`--columns ${cols}`, `${out}.one.csv`)}`,
      `CARNET_EXPORT_THREADS=2 ${carnet(`--columns ${cols}`, `${out}.two.csv`)}`,
    ],
    runs,
  );
  const row = (what, r, file, goal = '') => ({
    what,
    seconds: r.seconds,
    'x sqlite3': r.seconds / ref.seconds,
    'cpu s': r.cpu,
    'x sqlite3 cpu': r.cpu / ref.cpu,
    'peak RSS MB': r.rssMb,
    'MB written': statSync(file).size / 1e6,
    goal,
  });
  const rows = [
    row(`sqlite3 -csv, ${COLUMNS.length} columns (reference)`, ref, `${out}.sqlite3.csv`),
    row(`carnet export --columns (same ${COLUMNS.length})`, same, `${out}.csv`, '<= 2x'),
    row('same, forced to one thread', one, `${out}.one.csv`),
    row('same, forced to 2 worker threads', two, `${out}.two.csv`),
  ];
  const variants = [
    ['carnet export (default columns + categories)', '', 'default.csv'],
    ['carnet export --out FILE (temp + fsync + rename)', `--out ${q(out + '.out.csv')} -q`, 'stdout'],
    ['carnet export --excel', '--excel', 'excel.csv'],
    ['carnet export --format ndjson', '--format ndjson', 'ndjson'],
    ['carnet export --preset brevo --for marketing:email', '--preset brevo --for marketing:email -q', 'brevo.csv'],
    ['carnet export --preset google', '--preset google', 'google.csv'],
    ['carnet export --format vcard', '--format vcard', 'vcf'],
  ];
  for (const [what, args, file] of variants) {
    const r = timed(carnet(args, `${out}.${file}`));
    rows.push(row(what, r, file === 'stdout' ? `${out}.out.csv` : `${out}.${file}`));
  }
  // The naive way, for scale: one object per row and csv-stringify.
  const naive = `import Database from 'better-sqlite3'; import { stringify } from 'csv-stringify';
    const db = new Database(process.argv[1], { readonly: true });
    const s = stringify({ header: true }); s.pipe(process.stdout);
    for (const row of db.prepare('SELECT ${cols} FROM customers ORDER BY id').iterate()) { if (!s.write(row)) await new Promise((r) => s.once('drain', r)); }
    s.end();`;
  const nv = timed(`cd ${q(ROOT)} && ${q(process.execPath)} --input-type=module -e ${q(naive)} ${q(db)} > ${q(out + '.naive.csv')}`);
  rows.push(row('naive: objects + csv-stringify (for scale)', nv, `${out}.naive.csv`));
  for (const f of ['csv', 'one.csv', 'two.csv', 'sqlite3.csv', 'out.csv', 'stdout', 'default.csv', 'excel.csv', 'ndjson', 'brevo.csv', 'google.csv', 'vcf', 'naive.csv']) {
    rmSync(`${out}.${f}`, { force: true });
  }
  return [
    {
      title: `export of ${n.toLocaleString('en-US')} customers (first four: medians of ${runs} interleaved rounds; db ${build.built ? `built in ${build.seconds.toFixed(0)} s` : 'reused'}; ${availableParallelism()} cores, load average ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)})`,
      rows,
    },
  ];
}
