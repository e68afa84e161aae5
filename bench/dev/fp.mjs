// Dev tool: what the false-positive pairs of a `dedupe --json` output share (French generator).
//   node bench/dev/fp.mjs OUT.json DB PEOPLE SEED
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { generate } from '../gen/french-people.js';
const [json, dbPath, people, seed] = process.argv.slice(2);
const byRef = new Map();
for (const r of generate({ people: Number(people), seed: Number(seed) })) byRef.set(r.ref, r.person);
const db = new Database(dbPath, { readonly: true });
const get = db.prepare('SELECT id, external_id, first_name f, last_name l, email_norm e, phone_e164 p, mobile_e164 m, address_line1 a, postal_code pc, city c, birth_date b, company_name co FROM customers WHERE id = ?');
const res = JSON.parse(readFileSync(json, 'utf8'));
const cats = new Map();
let n = 0;
const loc = (e) => (e ? e.split('@')[0].replace(/[._-]/g, '') : null);
for (const c of res.clusters) {
  const rows = c.members.map((m) => get.get(m.id));
  for (let i = 0; i < rows.length; i++) for (let j = i + 1; j < rows.length; j++) {
    const x = rows[i], y = rows[j];
    if (byRef.get(x.external_id) === byRef.get(y.external_id)) continue;
    n++;
    const k = [x.f && y.f && x.f.toLowerCase() === y.f.toLowerCase() ? 'first=' : 'first≠', x.l && y.l && x.l.toLowerCase() === y.l.toLowerCase() ? 'last=' : 'last≠',
      x.e && y.e ? (x.e === y.e ? 'email=' : loc(x.e) === loc(y.e) ? 'mailbox=' : 'email≠') : 'email?', (x.p || x.m) && (y.p || y.m) ? ([x.p, x.m].some((v) => v && (v === y.p || v === y.m)) ? 'phone=' : 'phone≠') : 'phone?',
      x.pc && y.pc ? (x.pc === y.pc ? 'pc=' : 'pc≠') : 'pc?', x.a && y.a ? 'addr both' : 'addr?', x.co || y.co ? 'company' : '', c.members.length > 2 ? 'big cluster' : ''].join(' ');
    cats.set(k, (cats.get(k) ?? 0) + 1);
  }
}
console.log('FP pairs', n);
for (const [k, v] of [...cats].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(v, k);
