import { isoNow, type Ctx } from '../context.js';
import { FIELDS, REGISTER_CATEGORIES } from '../fields/catalogue.js';
import { listCustomFields } from '../fields/manage.js';
import { checkFileMode, type FileCheck } from '../maintenance.js';
import { shiftDay } from '../filter/dates.js';
import { RgpdRegisterRepo, type PeopleCounts } from '../../db/repositories/rgpd-register.js';
import { PURPOSES } from './access.js';
import { readPolicy, showPolicy } from './policy.js';
import { writePrivateFile } from '../../io/private-file.js';
import { exportRecipients, type Recipient } from './recipients.js';
import { renderRegisterMarkdown } from './register-markdown.js';
import { rejectsFilesOf } from './rejects.js';
import { backupsOf } from './scrub.js';

/** Customer columns by category of data, as the register names them. */
export const DATA_CATEGORIES: readonly { category: string; fields: readonly string[] }[] = [
  ...REGISTER_CATEGORIES.map((category) => ({
    category,
    fields: [...FIELDS.filter((e) => e.personal === category).map((e) => e.key), ...(category === 'Commercial relationship' ? ['last_contact_at'] : [])],
  })),
  { category: 'Imported columns kept as is', fields: ['extra'] },
];

/** The fields of the user's own, as one more category of data (by name, with how many records hold a value). */
function ownFieldsCategory(ctx: Ctx): { category: string; fields: { field: string; rows: number }[] }[] {
  const own = listCustomFields(ctx);
  return own.length === 0 ? [] : [{ category: 'Fields of your own', fields: own.map((f) => ({ field: f.name, rows: f.filled })) }];
}

export interface RegisterData {
  generated_at: string;
  database: string;
  controller: string | null;
  purposes: string[];
  people: PeopleCounts;
  data_categories: { category: string; fields: { field: string; rows: number }[] }[];
  imported_columns: { key: string; rows: number }[];
  activity: Record<string, number>;
  sources: { source: string; rows: number }[];
  retention: { key: string; value: string; meaning: string }[];
  last_purge: { at: string; details: Record<string, unknown> } | null;
  recipients: Recipient[];
  security: {
    files: FileCheck[];
    journal_mode: string;
    secure_delete: boolean;
    fts_secure_delete: boolean;
    foreign_keys: boolean;
    /** What an erasure does on this database's engine. */
    erasure: string;
    backups: FileCheck[];
    /** Files of rows imports refused, beside the database: personal data until the policy deletes them. */
    rejects: FileCheck[];
    /** Copies on a server that carnet cannot reach nor erase (archives, backups, replicas, statistics); none for a file. */
    beyond_reach: readonly string[];
  };
  rights_exercised: Record<string, number>;
  /** Points a DPO would raise on reading this file. */
  warnings: string[];
}

function parse(details: string | undefined): Record<string, unknown> {
  try {
    return details ? (JSON.parse(details) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The record of processing activities for this file (RGPD art. 30), from what the file actually holds. */
export function buildRegister(ctx: Ctx): RegisterData {
  const repo = ctx.store.extension('rgpd-register', (db) => new RgpdRegisterRepo(db));
  const policy = readPolicy(ctx);
  const filled = repo.filledColumns();
  const people = repo.people(shiftDay(ctx.now(), -15, 'y'));
  const activity = repo.activity();
  const pr = repo.pragmas();
  const path = ctx.store.label;
  const file = ctx.store.file;
  const files = file === null ? [] : [file, `${file}-wal`, `${file}-shm`].map(checkFileMode).filter((f) => f.exists);
  const backups = backupsOf(ctx).map(checkFileMode);
  const rejects = rejectsFilesOf(ctx).map(checkFileMode);
  const recipients = exportRecipients(ctx);
  const last = repo.lastAudit('rgpd.purge');
  const warnings: string[] = [];
  if (!policy.controller) warnings.push('the controller is not named: carnet rgpd policy set controller "Name, address, e-mail"');
  if (people.with_birth_date > 0) warnings.push(`${people.with_birth_date} records hold a birth date: keep it only if the service needs it (minimisation, art. 5.1.c)`);
  if (people.under_15 > 0) warnings.push(`${people.under_15} records are of people under 15: their consent needs a parent's as well`);
  if ((filled.notes ?? 0) + (activity.interactions_with_text ?? 0) > 0) {
    warnings.push('free-text notes and summaries exist: they must stay objective and hold no sensitive data (health, opinions, religion…)');
  }
  for (const f of [...files, ...backups, ...rejects]) if (!f.private) warnings.push(`${f.path} is mode ${f.mode}: other users can read it (chmod 600)`);
  for (const r of recipients) if (r.outside_eu) warnings.push(`exports to ${r.recipient} are transfers outside the EU: keep the provider's transfer terms with this register`);
  if (!last && people.total > 0) warnings.push('no retention purge was ever run: schedule `carnet rgpd purge --yes --json` in cron');
  return {
    generated_at: isoNow(ctx),
    database: path,
    controller: policy.controller,
    purposes: PURPOSES,
    people,
    data_categories: [
      ...DATA_CATEGORIES.map((c) => ({ category: c.category, fields: c.fields.map((f) => ({ field: f, rows: filled[f] ?? 0 })) })),
      ...ownFieldsCategory(ctx),
    ],
    imported_columns: repo.extraKeys(),
    activity,
    sources: repo.sources(),
    retention: showPolicy(ctx).filter((e) => e.key !== 'controller').map(({ key, value, meaning }) => ({ key, value, meaning })),
    last_purge: last ? { at: last.at, details: parse(last.details) } : null,
    recipients,
    security: { files, journal_mode: pr.journalMode, secure_delete: pr.secureDelete, fts_secure_delete: pr.ftsSecureDelete, foreign_keys: pr.foreignKeys, erasure: pr.erasure, backups, rejects, beyond_reach: ctx.store.beyondReach() },
    rights_exercised: repo.actionCounts('rgpd.'),
    warnings,
  };
}

export interface RegisterResult {
  data: RegisterData;
  /** The Markdown, when no file was asked for. */
  content: string | null;
  file: { path: string; bytes: number } | null;
}

/** Builds the register; writes it (Markdown, or JSON) to `out` with mode 0600 when asked. Audited. */
export function recordOfProcessing(ctx: Ctx, opts: { out?: string; format: 'md' | 'json' }): RegisterResult {
  const data = buildRegister(ctx);
  const content = opts.format === 'json' ? JSON.stringify(data, null, 2) + '\n' : renderRegisterMarkdown(data);
  const file = opts.out ? writePrivateFile(opts.out, content, 'the register') : null;
  ctx.store.tx(() => ctx.store.audit.record({ at: data.generated_at, action: 'rgpd.register', actor: ctx.actor ?? null, details: { to_file: file !== null } }));
  return { data, content: file ? null : content, file };
}
