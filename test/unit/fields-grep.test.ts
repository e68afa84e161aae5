import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../src/core/fields/catalogue.js';

/**
 * Issue #14: "`grep -rl job_title src` lists at most two files (the catalogue,
 * and at most one more); the same for every built-in field". The same count as
 * `grep -rlw KEY src`, done in JavaScript so that it runs everywhere.
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

/**
 * A key of two words or more (first_name) can only mean the field: at most the
 * catalogue and one more file. A one-word key (siret, city, email…) is also the
 * camelCase property of CustomerFields (c.siret), a word of messages and help
 * ("city = Lyon"), and for siret/email/phone the kind of an identifier in the
 * suppression and alias tables: grep cannot tell those from a restated field,
 * so they are named through KEY where code means the field, and not counted.
 */
const COMPOUND = FIELDS.filter((e) => e.key.includes('_')).map((e) => e.key);

/**
 * One-word keys whose mapping code is derived from the catalogue (vCard N/ADR/URL,
 * preset address parts, contact fields, normalisation rules), so that they too are
 * spelled in at most one file besides it. The other one-word keys (kind, siret,
 * email, phone, mobile, city, country, status, source, notes) are still named
 * by code that means them, or are words of messages: not checked yet.
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
