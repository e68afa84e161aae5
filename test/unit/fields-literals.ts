import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

/**
 * The string texts of src that spell a key as a word, found by parsing each
 * file with the TypeScript compiler: string literals, no-substitution
 * templates and the text parts of templates (head, middle, tail). Comments
 * and identifiers (c.email, the camelCase property of CustomerFields, typed
 * from the catalogue) are not texts, so they are not read.
 *
 * Not read either, because the compiler checks them against the catalogue or
 * they are no text of carnet's: a module's path (import './email.js'), the
 * props given to cols() (`cols('c', 'email')` is typed CatalogueProp), and the
 * props given to Columns<…> or to an index of `typeof COLUMN` in a type.
 */
export interface Literal {
  /** Path under src, with / separators. */
  readonly file: string;
  readonly line: number;
  /** The text, runs of white space made one space. */
  readonly text: string;
}

export const SRC = join(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
}

/** `(^|[^A-Za-z0-9_])KEY($|[^A-Za-z0-9_])`: the key as grep -w sees a word. */
export function wordRe(key: string, flags = ''): RegExp {
  return new RegExp(`(?<![A-Za-z0-9_])${key}(?![A-Za-z0-9_])`, flags);
}

const isText = (n: ts.Node): n is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateLiteralLikeNode =>
  ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n);

/** A node whose string children are checked by the compiler against the catalogue, or are module paths. */
function skipsTexts(n: ts.Node): boolean {
  if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n) || ts.isImportTypeNode(n)) return true;
  if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) return true;
  if (ts.isTypeReferenceNode(n) && n.typeName.getText() === 'Columns') return true;
  if (ts.isIndexedAccessTypeNode(n) && /^\(?typeof COLUMN\)?$/.test(n.objectType.getText())) return true;
  return false;
}

/** The texts of one file that contain one of `keys` as a word. */
export function literalsOf(path: string, text: string, keys: readonly string[]): Literal[] {
  const res = keys.map((k) => wordRe(k));
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const out: Literal[] = [];
  const visit = (n: ts.Node): void => {
    if (skipsTexts(n)) return;
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'cols') {
      // cols(alias, ...props): the alias is read; the props are typed CatalogueProp.
      n.arguments.slice(0, 1).forEach(visit);
      n.arguments.slice(1).filter((a) => !ts.isStringLiteral(a)).forEach(visit);
      return;
    }
    if (isText(n) && res.some((re) => re.test(n.text))) {
      out.push({ file: path, line: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1, text: n.text.replace(/\s+/g, ' ') });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Every file of src as [path under src with / separators, text]. */
export function srcFiles(): [string, string][] {
  return sources(SRC).map((f) => [relative(SRC, f).split(sep).join('/'), readFileSync(f, 'utf8')]);
}

/**
 * An allowlist entry: texts that contain a key as a word and mean something
 * else, with why. A text is allowed when it is one of them, or when each
 * occurrence of a key in it lies inside one of them that is longer than a
 * bare word (a piece of a long SQL statement, `s.status`, `kind IN (`).
 */
export interface Allow {
  readonly why: string;
  readonly texts: readonly string[];
}

/** The key occurrences of a text not covered by the allowed texts: [] when the text is allowed. Marks the texts used. */
export function uncovered(text: string, keys: readonly string[], allowed: readonly string[], used: Set<string>): string[] {
  if (allowed.includes(text)) {
    used.add(text);
    return [];
  }
  const covered: [number, number][] = [];
  for (const a of allowed) {
    if (/^[A-Za-z0-9_]+$/.test(a)) continue;
    for (let i = text.indexOf(a); i >= 0; i = text.indexOf(a, i + 1)) {
      covered.push([i, i + a.length]);
      used.add(a);
    }
  }
  const missing: string[] = [];
  for (const k of keys) {
    for (const m of text.matchAll(wordRe(k, 'g'))) {
      const at = m.index;
      if (!covered.some(([s, e]) => s <= at && at + k.length <= e)) missing.push(k);
    }
  }
  return missing;
}
