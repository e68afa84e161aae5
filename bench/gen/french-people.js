#!/usr/bin/env node
// French customer files with the mess real ones have, and the truth: `person` is the same for every
// record of one person. Names, towns and streets are drawn by frequency from the lists in
// french-data/ (common names weigh what they weigh in France, plus a long tail of rarer names),
// so that many different people share a name and a town. 30 % of people are written 2 or 3 times:
// accents dropped, J.-P. for Jean-Pierre, SARL before or after or not at all, phones as +33, 0X or
// dots, typos, a new e-mail, first and last names swapped, fields missing, a move. 4 % of people
// have a relative at the same address with the same landline: different people, not duplicates.
//
//   node bench/gen/french-people.js --people 2760 --seed 1 > bench/out/french-4k.csv
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DATA = join(dirname(fileURLToPath(import.meta.url)), 'french-data');
const lines = (f) => readFileSync(join(DATA, f), 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));

export const COLUMNS = ['person', 'ref', 'civilite', 'prenom', 'nom', 'societe', 'siret', 'email', 'telephone', 'portable', 'adresse', 'code_postal', 'ville', 'date_naissance'];

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Weighted picker: cumulative weights, binary search. */
function weighted(items, weightOf) {
  const cum = [];
  let total = 0;
  for (const it of items) cum.push((total += weightOf(it)));
  return (r) => {
    const x = r() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return items[lo];
  };
}

const stripAccents = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
const slug = (s) => stripAccents(s).toLowerCase().replace(/[^a-z0-9]+/g, '');

/** A long tail of rarer names built from French name parts, Zipf-weighted (most families are rare). */
function tailSurnames(r, count) {
  const onsets = ['B', 'Br', 'Ch', 'D', 'F', 'G', 'Gr', 'J', 'L', 'M', 'N', 'P', 'Pr', 'R', 'S', 'T', 'Tr', 'V', 'C', 'Cl', 'Fl', 'Gu', 'K', 'Qu', 'H', 'Th', 'Pl', 'Bl'];
  const vowels = ['a', 'e', 'i', 'o', 'ou', 'au', 'é', 'ai', 'an', 'on', 'in', 'eu', 'oi'];
  const middles = ['r', 'l', 'n', 'm', 'rn', 'rl', 'ss', 'ch', 'v', 'g', 'd', 't', 'b', 'rb', 'rd', 'nt'];
  const endings = ['ier', 'ard', 'aud', 'et', 'ot', 'in', 'eau', 'on', 'elle', 'and', 'ois', 'ais', 'y', 'ez', 'ec', 'ou', 'as', 'at', 'ault', 'oux', 'ès', 'al', 'el', 'ier', 'on', 'et', 'mann', 'ille', 'ac', 'ic'];
  const prefixes = ['', '', '', '', '', '', '', '', '', 'Le ', 'Le ', 'La ', 'De ', 'Du ', 'Des ', 'Saint-', 'Ker', 'Mac'];
  const seen = new Set();
  const out = [];
  while (out.length < count) {
    const pick = (a) => a[Math.floor(r() * a.length)];
    const syllables = r() < 0.35 ? 1 : 2;
    let root = pick(onsets) + pick(vowels);
    for (let k = 1; k < syllables; k++) root += pick(middles) + pick(vowels);
    root += pick(endings);
    const pre = pick(prefixes);
    const name = pre === 'Ker' || pre === 'Mac' ? pre + root.toLowerCase() : pre + root;
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({ name, weight: 1 / (out.length + 50) });
  }
  return out;
}

function luhnKey(digits) {
  for (let k = 0; k < 10; k++) {
    const s = digits + k;
    let sum = 0;
    for (let i = 0; i < s.length; i++) {
      let d = Number(s[s.length - 1 - i]);
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    if (sum % 10 === 0) return String(k);
  }
  return '0';
}

function makeSiret(r) {
  const siren8 = String(100_000_00 + Math.floor(r() * 899_999_99));
  const siren = siren8 + luhnKey(siren8);
  const nic4 = String(Math.floor(r() * 9000) + 1).padStart(4, '0');
  return siren + nic4 + luhnKey(siren + nic4);
}

const PROVIDERS = [['gmail.com', 30], ['orange.fr', 15], ['hotmail.fr', 10], ['free.fr', 8], ['sfr.fr', 6], ['yahoo.fr', 6], ['laposte.net', 5], ['wanadoo.fr', 5], ['outlook.fr', 4], ['icloud.com', 3], ['live.fr', 3], ['bbox.fr', 2], ['neuf.fr', 2], ['aol.com', 1]];
const TRADES = ['Boulangerie', 'Garage', 'Plomberie', 'Cabinet', 'Atelier', 'Pharmacie', 'Menuiserie', 'Électricité', 'Transports', 'Boucherie', 'Coiffure', 'Café', 'Restaurant', 'Librairie', 'Fleurs', 'Immobilière', 'Informatique', 'Conseil', 'Bâtiment', 'Peinture', 'Paysages', 'Taxi', 'Optique', 'Auto-école'];
const FORMS = [['SARL', 35], ['SAS', 30], ['EURL', 10], ['SASU', 10], ['EI', 10], ['SCI', 5]];
const STREET_TYPES = [['rue', 60], ['avenue', 14], ['boulevard', 7], ['place', 4], ['chemin', 6], ['allée', 4], ['impasse', 4], ['route', 1]];
const ABBREV = { rue: ['r.', 'R.', 'r'], avenue: ['av.', 'Av.', 'ave', 'av'], boulevard: ['bd', 'Bd', 'bld', 'boul.'], place: ['pl.', 'Pl.'], chemin: ['ch.', 'chem.'], allée: ['all.', 'allee'], impasse: ['imp.', 'Imp.'], route: ['rte', 'Rte'] };
const LANDLINE_PREFIX = (dept) => {
  const d = Number(dept.slice(0, 2));
  if ([75, 77, 78, 91, 92, 93, 94, 95].includes(d)) return '01';
  if ([14, 18, 22, 27, 28, 29, 35, 36, 37, 41, 44, 45, 49, 50, 53, 56, 61, 72, 76, 85, 86, 79].includes(d)) return '02';
  if ([2, 8, 10, 21, 25, 39, 51, 52, 54, 55, 57, 58, 59, 60, 62, 67, 68, 70, 71, 80, 88, 89, 90].includes(d)) return '03';
  if ([1, 3, 4, 5, 6, 7, 13, 15, 20, 26, 30, 34, 38, 42, 43, 48, 63, 69, 73, 74, 83, 84, 11, 66].includes(d)) return '04';
  return '05';
};

/**
 * `crowd` > 1 packs a town's people into fewer postcodes (codes ÷ crowd, at least one) so that a
 * file of N people has the per-postcode density of one of N × crowd people in its big towns: the
 * shape where names and addresses collide, without generating a million rows while developing.
 */
export function* generate({ people = 1000, seed = 1, dupRate = 0.3, crowd = 1 } = {}) {
  const r = rng(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const chance = (p) => r() < p;
  const pickW = (pairs) => weighted(pairs, (p) => p[1]);

  const common = lines('noms.txt').map((l) => l.split(';')).map(([name, w]) => ({ name, weight: Number(w) }));
  const tail = tailSurnames(rng(seed * 7 + 3), Math.max(2000, Math.round(people * 0.6)));
  // Common names are ~40 % of people in France; the other 60 % carry rarer ones.
  const commonTotal = common.reduce((s, x) => s + x.weight, 0);
  const tailTotal = tail.reduce((s, x) => s + x.weight, 0);
  const surname = weighted([...common.map((x) => ({ ...x, weight: (x.weight / commonTotal) * 0.4 })), ...tail.map((x) => ({ ...x, weight: (x.weight / tailTotal) * 0.6 }))], (x) => x.weight);
  const firsts = lines('prenoms.txt').map((l) => l.split(';')).map(([name, sex, w]) => ({ name, sex, weight: Number(w) }));
  const first = { F: weighted(firsts.filter((f) => f.sex === 'F'), (x) => x.weight), M: weighted(firsts.filter((f) => f.sex === 'M'), (x) => x.weight) };
  const towns = lines('communes.txt').map((l) => l.split(';')).map(([name, codes, pop]) => ({ name, codes: codes.split(' '), weight: Number(pop) }))
    .map((t) => ({ ...t, codes: t.codes.slice(0, Math.max(1, Math.round(t.codes.length / crowd))) }));
  const town = weighted(towns, (t) => t.weight);
  const streets = lines('rues.txt');
  const provider = pickW(PROVIDERS);
  const form = pickW(FORMS);
  const streetType = pickW(STREET_TYPES);
  const usedEmails = new Set();
  const digits = (n) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');

  const emailFor = (f, l, domain) => {
    const fs = slug(f);
    const ls = slug(l);
    const patterns = [`${fs}.${ls}`, `${fs}.${ls}`, `${fs[0]}.${ls}`, `${fs}${ls}`, `${ls}.${fs}`, `${fs}.${ls}${digits(2)}`, `${fs[0]}${ls}`, `${fs}_${ls}`];
    let local = pick(patterns);
    while (usedEmails.has(`${local}@${domain}`)) local = `${local.replace(/\d+$/, '')}${digits(2)}`;
    usedEmails.add(`${local}@${domain}`);
    return `${local}@${domain}`;
  };
  const mobile = () => `0${chance(0.8) ? 6 : 7}${digits(8)}`;
  const address = () => {
    const t = town(r);
    const no = String(1 + Math.floor(r() * (chance(0.7) ? 40 : 150))) + (chance(0.04) ? pick([' bis', ' ter']) : '');
    return { street: { no, type: streetType(r)[0], name: pick(streets) }, town: t.name, postal: pick(t.codes) };
  };
  const birth = () => {
    const y = 1935 + Math.floor(r() * 70);
    return `${String(1 + Math.floor(r() * 28)).padStart(2, '0')}/${String(1 + Math.floor(r() * 12)).padStart(2, '0')}/${y}`;
  };

  const makePerson = (id, household) => {
    const sex = chance(0.5) ? 'F' : 'M';
    const f = first[sex](r).name;
    const l = household ? household.last : surname(r).name;
    const isCompany = !household && chance(0.12);
    const addr = household ? household.addr : chance(0.9) ? address() : { street: null, ...(() => { const a = address(); return { town: a.town, postal: a.postal }; })() };
    const p = {
      id, sex, first: f, last: l, civ: sex === 'F' ? 'Mme' : 'M.', addr,
      email: chance(0.85) ? emailFor(f, l, provider(r)[0]) : null,
      mobile: chance(0.8) ? mobile() : null,
      landline: household ? household.landline : chance(0.25) ? `${LANDLINE_PREFIX(addr.postal)}${digits(8)}` : null,
      birth: chance(0.35) ? birth() : null,
      company: null, siret: null, form: null,
    };
    if (isCompany) {
      p.company = chance(0.7) ? `${pick(TRADES)} ${l}` : `${l} ${pick(['& Fils', 'Frères', 'Services', 'Conseil', 'Distribution'])}`;
      p.form = form(r)[0];
      p.siret = chance(0.8) ? makeSiret(r) : null;
      const slugCo = slug(p.company);
      if (p.email && chance(0.6)) {
        p.email = `${pick(['contact', 'info', slug(f), 'accueil'])}@${slugCo}.fr`;
        if (usedEmails.has(p.email)) p.email = `${slug(f)}.${slug(l)}@${slugCo}.fr`;
        usedEmails.add(p.email);
      }
    }
    return p;
  };

  const phoneFormat = (n) => {
    if (!n) return '';
    const g = n.match(/\d{2}/g);
    const style = r();
    if (style < 0.35) return g.join(' ');
    if (style < 0.55) return g.join('.');
    if (style < 0.7) return n;
    if (style < 0.9) return `+33 ${n[1]} ${g.slice(1).join(' ')}`.replace(/^(\+33 \d) (\d)(\d)/, '$1 $2$3');
    return `+33${n.slice(1)}`;
  };
  const companyText = (p, variant) => {
    if (!p.company) return '';
    const v = variant ? r() : 0;
    if (v < 0.4) return `${p.company} ${p.form}`;
    if (v < 0.6) return `${p.form} ${p.company}`;
    if (v < 0.8) return p.company;
    if (v < 0.9) return `${p.company} (${p.form.split('').join('.')}.)`;
    return `Sté ${p.company}`;
  };
  const streetText = (s, abbreviate) => {
    if (!s) return '';
    const type = abbreviate ? pick(ABBREV[s.type] ?? [s.type]) : s.type;
    return `${s.no}${abbreviate && chance(0.3) ? ',' : ''} ${type} ${s.name}`;
  };
  const typo = (s) => {
    if (!s || s.length < 3) return s;
    const i = 1 + Math.floor(r() * (s.length - 2));
    const k = r();
    if (k < 0.3) return s.slice(0, i) + s.slice(i + 1);
    if (k < 0.55) return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
    if (k < 0.8) return s.slice(0, i) + pick('aeiourstnlm') + s.slice(i + 1);
    return s.slice(0, i) + s[i] + s.slice(i);
  };
  const initials = (f) => (f.includes('-') ? f.split('-').map((x) => `${x[0]}.`).join('-') : `${f[0]}.`);

  /** The canonical record of a person, then its messy copies. */
  const record = (p, ref, copy) => {
    let first = p.first;
    let last = p.last;
    let email = p.email;
    let mob = p.mobile;
    let land = p.landline;
    let addr = p.addr;
    let birthDate = p.birth;
    let siret = p.siret;
    let civ = chance(0.6) ? p.civ : '';
    let streetAbbrev = false;
    let townText = addr.town;
    if (copy) {
      if (chance(0.35)) streetAbbrev = true;
      if (first.includes('-')) {
        const k = r();
        if (k < 0.45) first = initials(first);
        else if (k < 0.65) first = first.split('-')[0];
        else if (k < 0.9) first = first.replace('-', ' ');
      } else if (chance(0.04)) first = initials(first);
      if (chance(0.1)) first = typo(first);
      if (chance(0.12)) last = typo(last);
      if (chance(0.2)) last = last.toUpperCase();
      if (email && chance(0.15)) email = null;
      if (email && chance(0.35)) {
        const [local, domain] = email.split('@');
        const k = r();
        if (k < 0.4) email = `${local}@${provider(r)[0]}`;
        else if (k < 0.7) email = emailFor(p.first, p.last, provider(r)[0]);
        else if (domain === 'gmail.com') email = chance(0.5) ? `${local.replace(/\./g, '')}@gmail.com` : `${local}+${pick(['promo', 'shop', 'news'])}@gmail.com`;
        else email = email.toUpperCase();
      }
      if (mob && chance(0.1)) mob = mobile();
      if (mob && chance(0.2)) mob = null;
      if (land && chance(0.3)) land = null;
      if (chance(0.07)) addr = address();
      if (addr.street && chance(0.15)) addr = { ...addr, street: null };
      if (addr.street && chance(0.08)) addr = { ...addr, street: { ...addr.street, name: typo(addr.street.name) } };
      townText = addr.town;
      if (chance(0.15)) townText = pick([townText.toUpperCase(), townText.replace(/^Saint-/, 'St-').replace(/-/g, ' '), addr.town === 'Paris' || addr.town === 'Lyon' || addr.town === 'Marseille' ? `${townText} ${Number(addr.postal.slice(3))}e` : townText]);
      if (chance(0.05)) townText = '';
      if (birthDate && chance(0.25)) birthDate = null;
      if (birthDate && chance(0.04)) birthDate = typo(birthDate.replace(/\//g, '')).replace(/^(\d{2})(\d{2})(\d{4})$/, '$1/$2/$3');
      if (siret && chance(0.3)) siret = chance(0.3) ? siret.slice(0, 9) : null;
      if (civ && chance(0.2)) civ = pick(['Madame', 'Monsieur', 'M', 'Mlle']);
      if (chance(0.4)) {
        first = stripAccents(first);
        last = stripAccents(last);
        townText = stripAccents(townText);
      }
      if (chance(0.06)) [first, last] = [last, first];
    }
    if (mob && land && chance(0.1)) [mob, land] = [land, mob];
    const postal = addr.postal && !(copy && chance(0.05)) ? addr.postal : '';
    return {
      person: String(p.id), ref, civilite: civ, prenom: p.company && chance(0.3) ? '' : first, nom: p.company && !first ? '' : last,
      societe: companyText(p, copy || chance(0.5)), siret: siret ? (chance(0.5) ? siret.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1 $2 $3 $4') : siret) : '',
      email: email ?? '', telephone: phoneFormat(land), portable: phoneFormat(mob), adresse: streetText(addr.street, streetAbbrev),
      code_postal: postal, ville: townText, date_naissance: birthDate ?? '',
    };
  };

  const rows = [];
  let ref = 1;
  const nextRef = () => `C${String(ref++).padStart(7, '0')}`;
  for (let id = 1; id <= people; id++) {
    const p = makePerson(id, null);
    const copies = chance(dupRate) ? (chance(0.67) ? 2 : 3) : 1;
    for (let c = 0; c < copies; c++) rows.push(record(p, nextRef(), c > 0));
    if (chance(0.04) && id < people) {
      // A relative at the same address, with the same landline: another person.
      id++;
      const rel = makePerson(id, { last: p.last, addr: p.addr.street ? p.addr : address(), landline: p.landline });
      rows.push(record(rel, nextRef(), false));
    }
  }
  // Shuffle (Fisher–Yates): a file is not sorted by person.
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  yield* rows;
}

export function toCsvLine(row) {
  return COLUMNS.map((c) => {
    const v = String(row[c] ?? '');
    return /[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }).join(';');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name, def) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : def;
  };
  const out = [COLUMNS.join(';')];
  for (const row of generate({ people: arg('people', 1000), seed: arg('seed', 1), dupRate: arg('dup-rate', 0.3), crowd: arg('crowd', 1) })) out.push(toCsvLine(row));
  process.stdout.write(out.join('\n') + '\n');
}
