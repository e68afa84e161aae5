import { isoNow, type Ctx } from '../context.js';
import { UsageError } from '../errors.js';

/**
 * The knobs of lifecycle, follow-ups and stats, stored in the `settings` table
 * under these keys (whole numbers). `carnet category settings KEY VALUE`
 * changes one; `carnet categorise`, `followups` and `stats` read them.
 */
export interface CategoriseSettings {
  /** No sale (accepted quote, order, invoice) for this many months: a client becomes a former client. */
  formerAfterMonths: number;
  /** A quote still `sent` this many days after its issue date is chased. */
  quoteDays: number;
  /** An unpaid invoice is chased this many days after its due date (0: the day after). */
  invoiceGraceDays: number;
  /** Payment terms assumed for an invoice with no due date (French default: 30 days, Code de commerce L441-10). */
  invoiceTermsDays: number;
  /** An active client with no contact, sale or interaction for this many months is chased. */
  noContactMonths: number;
  /** Lifetime revenue (euros) from which a client is big. */
  bandBigEuros: number;
  /** Lifetime revenue (euros) from which a client is medium; below is small. */
  bandMediumEuros: number;
}

export interface SettingDef {
  key: string;
  prop: keyof CategoriseSettings;
  default: number;
  min: number;
  max: number;
  description: string;
}

export const SETTING_DEFS: readonly SettingDef[] = [
  { key: 'lifecycle.former_after_months', prop: 'formerAfterMonths', default: 24, min: 1, max: 1200, description: 'months without a sale before a client is a former client' },
  { key: 'followup.quote_days', prop: 'quoteDays', default: 15, min: 0, max: 3650, description: 'days a sent quote may stay unanswered before it is chased' },
  { key: 'followup.invoice_grace_days', prop: 'invoiceGraceDays', default: 0, min: 0, max: 3650, description: 'days after the due date before an unpaid invoice is chased' },
  { key: 'followup.invoice_terms_days', prop: 'invoiceTermsDays', default: 30, min: 0, max: 3650, description: 'payment terms assumed when an invoice has no due date' },
  { key: 'followup.no_contact_months', prop: 'noContactMonths', default: 6, min: 1, max: 1200, description: 'months without any contact before an active client is chased' },
  { key: 'stats.band_big_euros', prop: 'bandBigEuros', default: 10_000, min: 0, max: 1e12, description: 'lifetime revenue (€) from which a client is big' },
  { key: 'stats.band_medium_euros', prop: 'bandMediumEuros', default: 1_000, min: 0, max: 1e12, description: 'lifetime revenue (€) from which a client is medium (below: small)' },
];

function parseWhole(def: SettingDef, raw: string, stored: boolean): number {
  const n = Number(raw.trim());
  if (raw.trim() === '' || !Number.isInteger(n) || n < def.min || n > def.max) {
    const where = stored ? `the stored setting ${def.key}='${raw}'` : `${def.key} '${raw}'`;
    throw new UsageError(`${where} is not a whole number from ${def.min} to ${def.max}`, `e.g. carnet category settings ${def.key} ${def.default}`);
  }
  return n;
}

/** The settings in force: stored values, else defaults; a bad stored value is exit 2 naming the key. */
export function readSettings(ctx: Ctx): CategoriseSettings {
  const out = {} as CategoriseSettings;
  for (const def of SETTING_DEFS) {
    const raw = ctx.store.settings.get(def.key);
    out[def.prop] = raw === undefined ? def.default : parseWhole(def, raw, true);
  }
  if (out.bandMediumEuros > out.bandBigEuros) {
    throw new UsageError('stats.band_medium_euros is above stats.band_big_euros', 'carnet category settings stats.band_medium_euros 1000');
  }
  return out;
}

export interface SettingView {
  key: string;
  value: number;
  default: number;
  isDefault: boolean;
  description: string;
}

export function listSettings(ctx: Ctx): SettingView[] {
  const current = readSettings(ctx);
  return SETTING_DEFS.map((d) => ({ key: d.key, value: current[d.prop], default: d.default, isDefault: current[d.prop] === d.default, description: d.description }));
}

/** Sets one key (validated); `default` puts the default back. */
export function setSetting(ctx: Ctx, key: string, value: string): SettingView {
  const def = SETTING_DEFS.find((d) => d.key === key.trim().toLowerCase());
  if (!def) throw new UsageError(`unknown setting '${key}'`, `one of: ${SETTING_DEFS.map((d) => d.key).join(', ')}`);
  const n = value.trim().toLowerCase() === 'default' ? def.default : parseWhole(def, value, false);
  ctx.store.tx(() => {
    ctx.store.settings.set(def.key, String(n));
    readSettings(ctx); // refuses an inconsistent pair of bands, rolling back
    ctx.store.audit.record({ at: isoNow(ctx), action: 'settings.set', actor: ctx.actor ?? null, details: { key: def.key, value: n } });
  });
  const view = listSettings(ctx).find((s) => s.key === def.key);
  if (!view) throw new Error('setting not read back');
  return view;
}
