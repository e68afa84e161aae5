#!/usr/bin/env node
// Generates a French customer CSV for the import benchmark: `;`-separated, French headers,
// ~150 bytes a row, UTF-8 or Windows-1252, deterministic (seeded) so runs compare.
//   node bench/gen/customers-csv.js [--rows 1000000] [--encoding utf8|cp1252] [--out FILE]
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { rng } from '../lib.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const HEADER = [
  'Réf', 'Civilité', 'Prénom', 'Nom', 'Société', 'SIRET', 'E-mail', 'Téléphone', 'Adresse',
  'Code postal', 'Ville', 'Pays', 'Newsletter', 'Catégories', 'Date de création', "Canal d'acquisition",
];

const FIRST_F = ['Élodie', 'Hélène', 'Zoé', 'Anaïs', 'Noémie', 'Camille', 'Léa', 'Chloé', 'Manon', 'Inès', 'Sophie', 'Julie', 'Céline', 'Maëlle', 'Océane', 'Agnès'];
const FIRST_M = ['Jean-Pierre', 'François', 'Loïc', 'Cédric', 'Jérôme', 'Lucas', 'Hugo', 'Théo', 'Nicolas', 'Stéphane', 'Benoît', 'Gaël', 'Mathis', 'Noël', 'Raphaël', 'Éric'];
const LAST = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garçon', 'Faure', 'Rousseau', 'Bénard', 'Le Gall', 'Meyer', 'Dupont', 'Fontaine', 'Chevalier', 'Girard'];
const COMPANY = ['Boulangerie', 'Atelier', 'Garage', 'Pharmacie', 'Librairie', 'Fromagerie', 'Menuiserie', 'Cabinet', 'Agence', 'Épicerie'];
const FORMS = ['SARL', 'SAS', 'EURL', 'SA', 'SCI'];
const STREETS = ['rue des Lilas', 'avenue Jean Jaurès', 'place Bellecour', 'bd de la Libération', 'rue Nationale', 'quai de la Fosse', 'allée des Pins', "rue d'Alsace", 'cours Berriat', 'rue de Siam'];
const CITIES = [['69003', 'Lyon'], ['75011', 'Paris'], ['13001', 'Marseille'], ['59000', 'Lille'], ['44000', 'Nantes'], ['33000', 'Bordeaux'], ['31000', 'Toulouse'], ['29200', 'Brest'], ['38000', 'Grenoble'], ['01000', 'Bourg-en-Bresse'], ['67000', 'Strasbourg'], ['06000', 'Nice']];
const DOMAINS = ['sfr.fr', 'gmail.com', 'orange.fr', 'free.fr', 'laposte.net', 'wanadoo.fr', 'icloud.com', 'outlook.fr'];
const CHANNELS = ['Salon', 'Site web', 'Bouche à oreille', 'Téléphone', 'Réseaux sociaux'];
const CATS = ['', '', '', 'VIP', 'Professionnels', 'Fidèles'];

/** mulberry32: small, fast, seeded. */
function luhnDigit(body) {
  // The digit that makes body+digit Luhn-valid.
  for (let d = 0; d <= 9; d++) {
    const s = body + d;
    let sum = 0;
    let dbl = false;
    for (let i = s.length - 1; i >= 0; i--) {
      let x = s.charCodeAt(i) - 48;
      if (dbl) { x *= 2; if (x > 9) x -= 9; }
      sum += x;
      dbl = !dbl;
    }
    if (sum % 10 === 0) return String(d);
  }
  return '0';
}

function siret(r) {
  let body = String(100000000 + Math.floor(r() * 800000000)).slice(0, 8);
  if (body.startsWith('35600000')) body = '12345678';
  const siren = body + luhnDigit(body);
  const nic = String(Math.floor(r() * 9000) + 1).padStart(4, '0');
  const s = siren + nic + luhnDigit(siren + nic);
  return `${s.slice(0, 3)} ${s.slice(3, 6)} ${s.slice(6, 9)} ${s.slice(9)}`;
}

const pick = (r, a) => a[Math.floor(r() * a.length)];
const two = (n) => String(n).padStart(2, '0');
const ascii = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]+/g, '');

export function row(i, r) {
  const ref = `C${String(i).padStart(7, '0')}`;
  const date = `${two(1 + Math.floor(r() * 28))}/${two(1 + Math.floor(r() * 12))}/${2015 + Math.floor(r() * 11)}`;
  const [cp, city] = pick(r, CITIES);
  const street = `${1 + Math.floor(r() * 120)} ${pick(r, STREETS)}`;
  const phone = `0${pick(r, ['1', '2', '4', '6', '6', '7'])} ${two(Math.floor(r() * 100))} ${two(Math.floor(r() * 100))} ${two(Math.floor(r() * 100))} ${two(Math.floor(r() * 100))}`;
  const optin = pick(r, ['oui', 'non', '', 'oui']);
  const channel = pick(r, CHANNELS);
  if (r() < 0.1) {
    const name = `${pick(r, COMPANY)} ${pick(r, LAST)} ${pick(r, FORMS)}`;
    const email = `contact.${i}@${ascii(name).slice(0, 12)}.fr`;
    return [ref, '', '', '', name, siret(r), email, phone, street, cp, city, 'France', '', 'Professionnels', date, channel];
  }
  const female = r() < 0.5;
  const first = pick(r, female ? FIRST_F : FIRST_M);
  const last = pick(r, LAST);
  const email = `${ascii(first)}.${ascii(last)}.${i}@${pick(r, DOMAINS)}`;
  return [ref, female ? 'Mme' : 'M.', first, last, '', '', email, phone, street, cp, city, 'France', optin, pick(r, CATS), date, channel];
}

const quote = (v) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export async function generate({ rows = 1_000_000, encoding = 'utf8', out, seed = 42 } = {}) {
  const file = out ?? join(ROOT, 'bench', 'out', `customers-${rows}-${encoding}.csv`);
  mkdirSync(dirname(file), { recursive: true });
  const ws = createWriteStream(file);
  const enc = (s) => (encoding === 'utf8' ? Buffer.from(s, 'utf8') : iconv.encode(s, 'win1252'));
  const r = rng(seed);
  let chunk = HEADER.join(';') + '\r\n';
  for (let i = 1; i <= rows; i++) {
    chunk += row(i, r).map(quote).join(';') + '\r\n';
    if (chunk.length > 1 << 20) {
      if (!ws.write(enc(chunk))) await new Promise((res) => ws.once('drain', res));
      chunk = '';
    }
  }
  ws.write(enc(chunk));
  await new Promise((res, rej) => ws.end((err) => (err ? rej(err) : res())));
  return file;
}

/** The file for these options, generated only when missing. */
export async function ensure(opts) {
  const file = opts.out ?? join(ROOT, 'bench', 'out', `customers-${opts.rows ?? 1_000_000}-${opts.encoding ?? 'utf8'}.csv`);
  if (existsSync(file) && statSync(file).size > 0) return file;
  return generate({ ...opts, out: file });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, def) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : def;
  };
  const file = await generate({ rows: Number(arg('rows', '1000000')), encoding: arg('encoding', 'utf8'), out: arg('out') });
  const size = statSync(file).size;
  console.error(`${file}: ${size} bytes, ${(size / Number(arg('rows', '1000000'))).toFixed(0)} bytes/row`);
}
