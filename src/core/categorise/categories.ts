import { isoNow, type Ctx } from '../context.js';
import { customFilterFields } from '../fields/manage.js';
import { NotFoundError, UsageError } from '../errors.js';
import type { AssignedBy, Category, CategoryKind } from '../model.js';
import { compileFilter } from '../../db/filter-sql.js';
import { categoriseRepo, isBuiltinName } from './common.js';
import { foldName, orderRules, parseRule } from './rules.js';

export interface CategoryInput {
  name: string;
  rule?: string;
  description?: string;
}

export interface CategoryResult {
  category: Category;
  /** Things the person should know, e.g. a rule naming a category that does not exist. */
  notes: string[];
}

const NAME_MAX = 80;

function cleanName(raw: string): string {
  const name = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (name === '') throw new UsageError('a category needs a name', 'e.g. carnet category add VIP');
  if (name.length > NAME_MAX) throw new UsageError(`category names are at most ${NAME_MAX} characters`);
  if (/[\p{Cc}\p{Cf}]/u.test(name)) throw new UsageError('a category name cannot hold control characters');
  if (name.includes(',')) throw new UsageError(`'${name}' holds a comma`, 'commas separate categories in CSV files and in the `categories` field; use another character');
  return name;
}

function cleanDescription(raw: string | undefined): string | null {
  const d = raw?.normalize('NFC').trim().replace(/\s+/g, ' ');
  return d ? d : null;
}

/**
 * Checks a rule the person typed: syntax (exit 2 with a caret), that it
 * compiles, that it does not read its own category nor make a cycle with other
 * rules. Returns notes about categories it names that do not exist.
 */
function checkRule(ctx: Ctx, category: Category, expression: string): string[] {
  const repo = categoriseRepo(ctx);
  const parsed = parseRule(category, expression, false, customFilterFields(ctx));
  compileFilter(parsed.ast, { now: ctx.now(), dialect: ctx.store.dialect });
  const others = repo
    .withRules()
    .filter((c) => c.id !== category.id && !isBuiltinName(c.name))
    .flatMap((c) => {
      try {
        return [parseRule(c, c.rule ?? '', true, customFilterFields(ctx))];
      } catch {
        return []; // a broken stored rule is reported by categorise, not here
      }
    });
  orderRules([...others, parsed]);
  const known = new Set(repo.all().map((c) => foldName(c.name)));
  return parsed.reads.filter((n) => !known.has(n)).map((n) => `the rule reads category '${n}', which does not exist yet`);
}

/** `category add NAME [--rule EXPR] [--description …]`. */
export function addCategory(ctx: Ctx, input: CategoryInput): CategoryResult {
  const name = cleanName(input.name);
  if (isBuiltinName(name)) throw new UsageError(`'${name}' is a built-in category name`, '`carnet categorise` creates and fills it');
  const repo = categoriseRepo(ctx);
  const at = isoNow(ctx);
  const rule = input.rule?.trim() ? input.rule.trim() : null;
  return ctx.store.tx(() => {
    const existing = repo.findByName(name);
    if (existing) throw new UsageError(`category '${existing.name}' already exists`, `change it with: carnet category edit "${existing.name}" --rule '…'`);
    const kind: CategoryKind = rule ? 'rule' : 'manual';
    const description = cleanDescription(input.description);
    const draft: Category = { id: -1, name, description, kind, rule, createdAt: at };
    const notes = rule ? checkRule(ctx, draft, rule) : [];
    const id = repo.create(name, kind, description, at);
    if (rule) repo.setRule(id, rule, at);
    ctx.store.audit.record({ at, action: 'category.add', actor: ctx.actor ?? null, details: { category: name, kind } });
    if (rule) notes.push('members are computed by `carnet categorise`');
    return { category: { ...draft, id }, notes };
  });
}

export interface CategoryEdit {
  name: string;
  /** A new rule; null removes the rule (its members by rule go with it). */
  rule?: string | null;
  description?: string | null;
}

export function editCategory(ctx: Ctx, input: CategoryEdit): CategoryResult {
  const repo = categoriseRepo(ctx);
  const at = isoNow(ctx);
  return ctx.store.tx(() => {
    const cat = findCategory(ctx, input.name);
    const notes: string[] = [];
    if (input.rule !== undefined) {
      if (isBuiltinName(cat.name) || cat.kind === 'lifecycle' || cat.kind === 'rfm') {
        throw new UsageError(`'${cat.name}' is a built-in category`, 'its members are computed by `carnet categorise`; make a category of your own');
      }
      const rule = input.rule?.trim() ? input.rule.trim() : null;
      if (rule) {
        notes.push(...checkRule(ctx, cat, rule));
        repo.setRule(cat.id, rule, at);
        repo.setKind(cat.id, 'rule');
        notes.push('members are recomputed by `carnet categorise`');
      } else {
        repo.setRule(cat.id, null, at);
        repo.setKind(cat.id, 'manual');
        const n = repo.unassignAll(cat.id, 'rule');
        notes.push(`rule removed; ${n} member${n === 1 ? '' : 's'} by rule left the category (manual tags stay)`);
      }
    }
    if (input.description !== undefined) repo.setDescription(cat.id, cleanDescription(input.description ?? undefined));
    ctx.store.audit.record({ at, action: 'category.edit', actor: ctx.actor ?? null, details: { category: cat.name, rule: input.rule !== undefined, description: input.description !== undefined } });
    const after = repo.get(cat.id);
    if (!after) throw new Error('category not read back');
    return { category: after, notes };
  });
}

export function findCategory(ctx: Ctx, name: string): Category {
  const cat = categoriseRepo(ctx).findByName(name.normalize('NFC').trim());
  if (!cat) throw new NotFoundError(`no category named '${name}'`, '`carnet category list` shows them');
  return cat;
}

export interface CategoryListing {
  name: string;
  kind: CategoryKind;
  description: string | null;
  rule: string | null;
  /** Distinct members among customers not archived. */
  members: number;
  byAssigner: Partial<Record<AssignedBy, number>>;
  createdAt: string;
}

export function listCategories(ctx: Ctx): CategoryListing[] {
  return categoriseRepo(ctx)
    .counts({ byAssigner: true })
    .map((c) => ({
      name: c.category.name,
      kind: c.category.kind,
      description: c.category.description,
      rule: c.category.rule,
      members: c.members,
      byAssigner: c.byAssigner,
      createdAt: c.category.createdAt,
    }));
}

export function describeCategory(ctx: Ctx, name: string): CategoryListing {
  const cat = findCategory(ctx, name);
  const found = listCategories(ctx).find((c) => c.name === cat.name);
  if (!found) throw new Error('category not listed');
  return found;
}

/** `category rm NAME`: the category, its rule and every membership go. The CLI asks first. */
export function removeCategory(ctx: Ctx, name: string): CategoryListing {
  const repo = categoriseRepo(ctx);
  const at = isoNow(ctx);
  return ctx.store.tx(() => {
    const listing = describeCategory(ctx, name);
    const cat = findCategory(ctx, name);
    repo.remove(cat.id);
    ctx.store.audit.record({ at, action: 'category.rm', actor: ctx.actor ?? null, details: { category: cat.name, members: listing.members } });
    return listing;
  });
}
