// Dev tool: pairwise F1 of a `carnet dedupe --dry-run --json` output against the French generator.
//   node bench/dev/f1.mjs OUT.json DB PEOPLE SEED
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { pairwise } from '../dedupe-lib.js';
import { generate } from '../gen/french-people.js';
const [json, dbPath, people, seed] = process.argv.slice(2);
const byRef = new Map();
for (const r of generate({ people: Number(people), seed: Number(seed) })) byRef.set(r.ref, r.person);
const db = new Database(dbPath, { readonly: true });
const truth = new Map();
for (const r of db.prepare('SELECT id, external_id FROM customers').iterate()) truth.set(r.id, byRef.get(r.external_id));
const res = JSON.parse(readFileSync(json, 'utf8'));
const m = pairwise(res.clusters.map((c) => c.members.map((x) => x.id)), truth);
console.log(`pairs ${res.candidate_pairs} P ${m.precision.toFixed(4)} R ${m.recall.toFixed(4)} F1 ${m.f1.toFixed(4)} seconds(self) ${res.seconds}`);
