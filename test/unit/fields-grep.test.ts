import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../src/core/fields/catalogue.js';
import { literalsOf, srcFiles, uncovered, type Literal } from './fields-literals.js';
import { ALLOWED } from './fields-literals-allow.js';

/**
 * Issue #14: "`grep -rl job_title src` lists at most two files (the catalogue,
 * and at most one more); the same for every built-in field". Checked two ways:
 *
 * - Keys that only a field can mean (every compound key such as job_title, and
 *   civility, sector, website, owner, region): grep's own count, `grep -rlw
 *   KEY src` done in JavaScript so that it runs everywhere, at most two files.
 * - The other one-word keys (kind, siret, email, phone, mobile, city, country,
 *   status, source, notes) are also words grep cannot tell from the field: the
 *   camelCase property of CustomerFields (c.email, typed from the catalogue),
 *   words of messages and help ("city = Lyon"), and other things of the same
 *   name (an interaction's kind, a sale's status, an identifier's kind in the
 *   suppression list, a consent channel, an import's --source). For them the
 *   rule is on what the code writes as text: no string or template text of src
 *   outside the catalogue spells the key as a word, but the texts
 *   fields-literals-allow.ts lists, each with why it is not the field. Code and
 *   SQL that mean the field name it through KEY, COLUMN or cols().
 */
const SRC = join(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
}

const FILES = sources(SRC).map((f) => ({ path: relative(SRC, f), text: readFileSync(f, 'utf8') }));

/** The files that spell this key as a word (grep -w: letters, digits and _ are word characters). */
function filesNaming(key: string): string[] {
  const word = new RegExp(`(^|[^A-Za-z0-9_])${key}($|[^A-Za-z0-9_])`);
  return FILES.filter((f) => word.test(f.text)).map((f) => f.path);
}

/** A key of two words or more (first_name) can only mean the field: at most the catalogue and one more file. */
const COMPOUND = FIELDS.filter((e) => e.key.includes('_')).map((e) => e.key);

/**
 * One-word keys whose mapping code is derived from the catalogue (vCard N/ADR/URL,
 * preset address parts, contact fields, normalisation rules), so that they too are
 * spelled in at most one file besides it. The other one-word keys are SHARED_WORDS
 * below: checked on the texts of src, not by grep's file count.
 */
const ONE_WORD = ['civility', 'sector', 'website', 'owner', 'region'];

/**
 * A standard's own vocabulary that happens to be a field's word, not counted:
 * the RFC 6350 ADR component the vCard reader names a column after ('ADR region')
 * and Intl.DisplayNames' type option (type: 'region').
 */
const STANDARD = [/'ADR region'/g, /type: 'region'/g];

function filesNamingField(key: string): string[] {
  const word = new RegExp(`(^|[^A-Za-z0-9_])${key}($|[^A-Za-z0-9_])`);
  return FILES.filter((f) => word.test(STANDARD.reduce((t, re) => t.replace(re, ''), f.text))).map((f) => f.path);
}

describe('every built-in field is spelled in the catalogue only', () => {
  it('finds the catalogue (the check itself works)', () => {
    expect(filesNaming('job_title')).toContain(join('core', 'fields', 'catalogue.ts'));
    expect(COMPOUND).toContain('email_norm');
  });

  it.each(COMPOUND)('%s is named in at most two files of src', (key) => {
    expect(filesNaming(key).length, filesNaming(key).join(', ')).toBeLessThanOrEqual(2);
  });

  it.each(ONE_WORD)('%s is named in at most two files of src (beside a standard\'s vocabulary)', (key) => {
    expect(filesNamingField(key).length, filesNamingField(key).join(', ')).toBeLessThanOrEqual(2);
  });
});

/** One-word keys that other things share a word with: checked on the texts of src, with an allowlist. */
const SHARED_WORDS = ['kind', 'siret', 'email', 'phone', 'mobile', 'city', 'country', 'status', 'source', 'notes'];

const CATALOGUE_FILE = 'core/fields/catalogue.ts';

const TEXTS: readonly Literal[] = srcFiles()
  .filter(([path]) => path !== CATALOGUE_FILE)
  .flatMap(([path, text]) => literalsOf(path, text, SHARED_WORDS));

const allowedIn = (file: string): string[] => (ALLOWED[file] ?? []).flatMap((a) => a.texts);
const used = new Map<string, Set<string>>();

/** `file:line: key in "text"` for each text that spells the key and is not allowed. */
function strays(key: string): string[] {
  return TEXTS.flatMap((l) => {
    const u = used.get(l.file) ?? used.set(l.file, new Set()).get(l.file) ?? new Set<string>();
    return uncovered(l.text, [key], allowedIn(l.file), u).length > 0 ? [`${l.file}:${l.line}: ${key} in ${JSON.stringify(l.text)}`] : [];
  });
}

describe('one-word keys shared with other words: no text of src names the field but through the catalogue', () => {
  it('finds a field named in SQL text, and not a prop given to cols() (the check itself works)', () => {
    const found = literalsOf('x.ts', "const q = 'SELECT c.city FROM customers c'; const r = cols('c', 'city');", SHARED_WORDS);
    expect(found.map((l) => l.text)).toEqual(['SELECT c.city FROM customers c']);
    expect(uncovered(found[0]?.text ?? '', ['city'], ['c.kind', 'city'], new Set())).toEqual(['city']);
    expect(TEXTS.length).toBeGreaterThan(100);
  });

  it.each(SHARED_WORDS)('%s: every text that spells it is in the allowlist (a message, or something else of that name)', (key) => {
    const s = strays(key);
    expect(s, s.join('\n')).toEqual([]);
  });

  it('the allowlist has no entry that no text needs, and none for the catalogue', () => {
    for (const key of SHARED_WORDS) strays(key);
    const stale = Object.entries(ALLOWED).flatMap(([file, list]) =>
      list.flatMap((a) => a.texts.filter((t) => !(used.get(file)?.has(t) ?? false)).map((t) => `${file}: ${JSON.stringify(t)}`)),
    );
    expect(stale, stale.join('\n')).toEqual([]);
    expect(Object.keys(ALLOWED).filter((f) => f === CATALOGUE_FILE)).toEqual([]);
  });
});
