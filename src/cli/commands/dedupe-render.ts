import type { AutoMergeResult } from '../../core/dedupe/auto.js';
import type { FindResult } from '../../core/dedupe/find.js';
import type { GlobalOpts } from '../context.js';
import { out, paint, say } from '../output.js';
import { KEY } from '../../core/fields/catalogue.js';

/**
 * Writes the JSON of `dedupe --dry-run --json`, {"clusters":[{"score","members":[{id,uid,
 * the external id (under its catalogue key),display_name,…}]}], …counts}, one cluster per line: a million customers give
 * a hundred thousand clusters, and one string of them all would double the memory.
 */
export function writeJsonClusters(found: FindResult, explain: boolean): void {
  const rest = jsonSummary(found, explain);
  process.stdout.write('{"clusters":[');
  found.clusters.forEach((c, k) => {
    const cluster = {
      score: c.score,
      members: c.members.map((m) => ({ id: m.id, uid: m.uid, [KEY.externalId]: m[KEY.externalId], display_name: m.display_name, email: m.email, phone: m.phone, city: m.city })),
      ...(explain ? { pairs: c.pairs } : {}),
    };
    process.stdout.write(`${k === 0 ? '\n' : ',\n'}${JSON.stringify(cluster)}`);
  });
  process.stdout.write(`\n],${JSON.stringify(rest).slice(1)}\n`);
}

function jsonSummary(found: FindResult, explain: boolean): Record<string, unknown> {
  return {
    threshold: found.threshold,
    considered: found.considered,
    candidate_pairs: found.candidatePairs,
    restricted_skipped: found.restricted,
    ...(explain ? { model: { lambda: found.model.lambda, prior_bits: found.model.priorBits, fields: found.model.fields.map((f) => ({ name: f.name, levels: f.levels, m: f.m.slice(1), u: f.u.slice(1), weight: f.weight.slice(1) })) } } : {}),
  };
}

export function restrictedNote(g: GlobalOpts, restricted: number): void {
  if (restricted > 0) say(g, `${restricted} restricted record${restricted === 1 ? ' was' : 's were'} left out: their processing is restricted (RGPD art. 18), so they are never matched nor merged`);
}

const sign = (w: number): string => (w > 0 ? `+${w.toFixed(1)}` : w.toFixed(1));

export function renderClusters(g: GlobalOpts, found: FindResult, explain: boolean): void {
  const p = paint(g, process.stdout);
  found.clusters.forEach((c, k) => {
    out(p.bold(`cluster ${k + 1}  score ${c.score.toFixed(2)}  (${c.members.length} records)`));
    for (const m of c.members) out(`  ${String(m.id).padStart(6)}  ${m.display_name}${m.email ? `  ${m.email}` : ''}${m.phone ? `  ${m.phone}` : ''}${m.city ? `  ${m.city}` : ''}`);
    const all = (c.members.length * (c.members.length - 1)) / 2;
    if (explain && c.pairs && c.pairs.length < all) out(`    the ${c.pairs.length} strongest links that hold these records together (of ${all} pairs):`);
    for (const pair of explain ? (c.pairs ?? []) : []) {
      out(`    ${pair.a} ~ ${pair.b}: probability ${pair.score.toFixed(3)} = prior ${sign(pair.prior)} bits`);
      for (const f of pair.fields) {
        if (f.level === 'missing') continue;
        const w = sign(f.weight).padStart(6);
        out(`      ${f.field.padEnd(18)} ${f.weight > 0 ? p.green(w) : f.weight < 0 ? p.red(w) : w}  ${f.level}`);
      }
    }
  });
  const records = found.clusters.reduce((s, c) => s + c.members.length, 0);
  say(g, `${found.clusters.length} cluster${found.clusters.length === 1 ? '' : 's'} (${records} records) among ${found.considered} customers, threshold ${found.threshold}, ${found.seconds.toFixed(1)} s`);
  restrictedNote(g, found.restricted);
  if (found.clusters.length > 0) say(g, 'nothing was changed (--dry-run); run carnet dedupe in a terminal to review them, or --auto to merge them');
}

export function renderAuto(g: GlobalOpts, res: AutoMergeResult): void {
  for (const m of res.merges) say(g, `merge #${m.mergeId}: ${m.merged.map((x) => x.id).join(', ')} merged into ${m.survivor.id}`);
  say(g, `${res.merges.length} merge${res.merges.length === 1 ? '' : 's'} (threshold ${res.found.threshold}); undo one with carnet dedupe undo MERGE`);
  restrictedNote(g, res.found.restricted);
}
