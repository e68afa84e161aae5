import { UsageError } from '../errors.js';
import { FILTER_FIELDS, FilterSyntaxError, lookupField, parseFilter, type CustomFilterField, type FieldRef, type FilterNode } from '../filter/index.js';
import type { Category } from '../model.js';

/** A category rule, parsed. */
export interface ParsedRule {
  category: Category;
  expression: string;
  ast: FilterNode;
  /** Folded names of the categories the rule reads (`category "VIP"`). */
  reads: string[];
  /** The rule reads every category (`category is not empty`, or the `categories` field). */
  readsAll: boolean;
  /** Columns of customer_facts the rule reads. */
  columns: string[];
}

/** Lower case without accents: how the filter compares category names (carnet_fold in SQL). */
export function foldName(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function fieldColumns(ref: FieldRef): string[] {
  if (ref.kind === 'extra') return ['extra'];
  if (ref.kind === 'custom') return ['custom'];
  return [...(lookupField(ref.name)?.columns ?? [ref.name])];
}

function walk(node: FilterNode, acc: { reads: Set<string>; readsAll: boolean; columns: Set<string> }): void {
  switch (node.type) {
    case 'and':
    case 'or':
      node.operands.forEach((n) => walk(n, acc));
      return;
    case 'not':
      walk(node.operand, acc);
      return;
    case 'category':
      if (node.names === null) acc.readsAll = true;
      else node.names.forEach((n) => acc.reads.add(foldName(n)));
      return;
    default:
      for (const col of fieldColumns(node.field)) {
        acc.columns.add(col);
        if (col === 'categories') acc.readsAll = true;
      }
  }
}

/**
 * Parses a rule; a syntax error is exit 2 with the caret, prefixed by the
 * category when the rule was stored (so the person knows which one to fix).
 */
export function parseRule(category: Category, expression: string, stored: boolean, custom: readonly CustomFilterField[] = []): ParsedRule {
  let ast: FilterNode;
  try {
    ast = parseFilter(expression, custom);
  } catch (err) {
    if (err instanceof FilterSyntaxError && stored) {
      throw new UsageError(`the rule of category '${category.name}' is broken: ${err.message}`, `fix it: carnet category edit "${category.name}" --rule '…'`, {
        category: category.name,
        ...(err.details ?? {}),
      });
    }
    throw err;
  }
  const acc = { reads: new Set<string>(), readsAll: false, columns: new Set<string>() };
  walk(ast, acc);
  if (acc.reads.has(foldName(category.name))) {
    throw new UsageError(`the rule of category '${category.name}' reads the category itself`, 'a rule decides membership; it cannot depend on it');
  }
  return { category, expression, ast, reads: [...acc.reads], readsAll: acc.readsAll, columns: [...acc.columns] };
}

/**
 * The order to evaluate rules in, so that a rule reading another rule's
 * category (`category "Gros clients" and department = "69"`) sees its fresh
 * membership. Rules reading every category come last. A cycle is exit 2.
 */
export function orderRules(rules: readonly ParsedRule[]): ParsedRule[] {
  const byName = new Map(rules.map((r) => [foldName(r.category.name), r]));
  const done = new Set<ParsedRule>();
  const active = new Set<ParsedRule>();
  const ordered: ParsedRule[] = [];
  const visit = (rule: ParsedRule, path: string[]): void => {
    if (done.has(rule)) return;
    if (active.has(rule)) {
      const cycle = [...path.slice(path.indexOf(rule.category.name)), rule.category.name];
      throw new UsageError(`category rules depend on each other: ${cycle.join(' → ')}`, 'change one of these rules so that it does not read the other category');
    }
    active.add(rule);
    for (const name of rule.reads) {
      const dep = byName.get(name);
      if (dep) visit(dep, [...path, rule.category.name]);
    }
    active.delete(rule);
    done.add(rule);
    ordered.push(rule);
  };
  for (const rule of rules) if (!rule.readsAll) visit(rule, []);
  for (const rule of rules) if (rule.readsAll) visit(rule, []);
  return ordered;
}

/** Columns the filter compares through carnet_fold(): those of text fields (not the live `categories`). */
const TEXT_COLUMNS: ReadonlySet<string> = new Set(FILTER_FIELDS.filter((f) => f.type === 'text').flatMap((f) => f.columns).filter((c) => c !== 'categories'));

/** What the rules read from the facts, for the set-based evaluation. */
export function factsColumnsOf(rules: readonly ParsedRule[]): { columns: string[]; folded: ReadonlySet<string> } {
  const columns = [...new Set(rules.flatMap((r) => r.columns))];
  return { columns, folded: new Set(columns.filter((c) => TEXT_COLUMNS.has(c))) };
}

