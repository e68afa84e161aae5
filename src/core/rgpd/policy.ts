import { isoNow, type Ctx } from '../context.js';
import { UsageError, ValidationError } from '../errors.js';
import { cleanText } from '../normalise/index.js';
import { describeDuration, formatDuration, parseDuration, toApproxDays, type Duration } from './duration.js';

/**
 * The retention rules of this file, stored in `settings` under `rgpd.<key>`.
 * Defaults are the CNIL's reference for commercial files (référentiel
 * « gestion commerciale », 2021) and the Code de commerce (art. L123-22).
 */
export type PolicyKey = 'prospect' | 'client-marketing' | 'invoices' | 'inactive-anonymise' | 'rejects' | 'controller';

interface KeySpec {
  kind: 'duration' | 'duration-or-off' | 'text';
  default: string;
  meaning: string;
}

export const POLICY_KEYS: Readonly<Record<PolicyKey, KeySpec>> = {
  prospect: {
    kind: 'duration',
    default: '3y',
    meaning: 'a prospect (never bought) is erased this long after their last contact with you (CNIL: 3 years)',
  },
  'client-marketing': {
    kind: 'duration',
    default: '3y',
    meaning: 'a client loses marketing data (consents, categories, interactions, notes) this long after the relationship ended, and is archived',
  },
  invoices: {
    kind: 'duration',
    default: '10y',
    meaning: 'invoices and credit notes are kept this long from their issue date (Code de commerce L123-22), with the identity they carry',
  },
  'inactive-anonymise': {
    kind: 'duration-or-off',
    default: 'off',
    meaning: 'a record with no activity for this long (and no invoice still kept) is anonymised instead of erased: sales figures stay for statistics',
  },
  rejects: {
    kind: 'duration',
    default: '30d',
    meaning: 'files of rows an import refused (rejects/ beside the database) are deleted this long after they were written; forget and purge remove the erased people from them at once',
  },
  controller: {
    kind: 'text',
    default: '',
    meaning: 'the data controller (you: name, address, e-mail), printed in the register and access reports',
  },
};

export interface Policy {
  prospect: Duration;
  clientMarketing: Duration;
  invoices: Duration;
  inactiveAnonymise: Duration | null;
  rejects: Duration;
  controller: string | null;
}

const settingKey = (k: PolicyKey) => `rgpd.${k}`;

function isPolicyKey(k: string): k is PolicyKey {
  return Object.prototype.hasOwnProperty.call(POLICY_KEYS, k);
}

export function readPolicy(ctx: Ctx): Policy {
  const raw = (k: PolicyKey) => ctx.store.settings.get(settingKey(k)) ?? POLICY_KEYS[k].default;
  const dur = (k: PolicyKey) => parseDuration(raw(k), k);
  const anon = raw('inactive-anonymise');
  return {
    prospect: dur('prospect'),
    clientMarketing: dur('client-marketing'),
    invoices: dur('invoices'),
    inactiveAnonymise: anon === 'off' ? null : parseDuration(anon, 'inactive-anonymise'),
    rejects: dur('rejects'),
    controller: cleanText(raw('controller')),
  };
}

export interface PolicyEntry {
  key: PolicyKey;
  value: string;
  isDefault: boolean;
  default: string;
  meaning: string;
}

export function showPolicy(ctx: Ctx): PolicyEntry[] {
  return (Object.keys(POLICY_KEYS) as PolicyKey[]).map((key) => {
    const stored = ctx.store.settings.get(settingKey(key));
    const spec = POLICY_KEYS[key];
    return { key, value: stored ?? spec.default, isDefault: (stored ?? spec.default) === spec.default, default: spec.default, meaning: spec.meaning };
  });
}

export interface SetPolicyResult {
  key: PolicyKey;
  previous: string;
  value: string;
  /** Said to the user: the value is allowed but departs from the law or the CNIL's guidance. */
  warnings: string[];
}

/** Validates and stores one rule; `default` puts the default back. Audited with the key and both values. */
export function setPolicy(ctx: Ctx, key: string, rawValue: string): SetPolicyResult {
  const k = key.trim().toLowerCase().replace(/_/g, '-').replace(/^client-?marketing$/, 'client-marketing').replace(/^inactive-anonymi[sz]e$/, 'inactive-anonymise');
  if (!isPolicyKey(k)) {
    throw new UsageError(`unknown policy key '${key}'`, `keys: ${Object.keys(POLICY_KEYS).join(', ')}`);
  }
  const spec = POLICY_KEYS[k];
  const reset = rawValue.trim().toLowerCase() === 'default';
  const value = reset ? spec.default : normaliseValue(k, spec, rawValue);
  const warnings = reset ? [] : policyWarnings(k, value);
  const at = isoNow(ctx);
  return ctx.store.tx(() => {
    const previous = ctx.store.settings.get(settingKey(k)) ?? spec.default;
    ctx.store.settings.set(settingKey(k), value);
    // The controller's own identity is not a data subject's: it may be logged.
    ctx.store.audit.record({ at, action: 'rgpd.policy', actor: ctx.actor ?? null, details: { key: k, from: previous, to: value } });
    return { key: k, previous, value, warnings };
  });
}

function normaliseValue(key: PolicyKey, spec: KeySpec, raw: string): string {
  if (spec.kind === 'text') {
    const t = cleanText(raw);
    if (t !== null && t.length > 500) throw new ValidationError(key, 'is longer than 500 characters');
    return t ?? '';
  }
  const v = raw.trim().toLowerCase();
  if (spec.kind === 'duration-or-off' && ['off', 'no', 'never', 'non', 'none'].includes(v)) return 'off';
  try {
    return formatDuration(parseDuration(raw, key));
  } catch (err) {
    if (spec.kind === 'duration-or-off' && err instanceof ValidationError) {
      throw new ValidationError(key, `'${raw}' is neither a duration nor off`, 'write it like 5y, 18m or 90d, or off');
    }
    throw err;
  }
}

function policyWarnings(key: PolicyKey, value: string): string[] {
  if (POLICY_KEYS[key].kind === 'text' || value === 'off') return [];
  const d = parseDuration(value, key);
  const days = toApproxDays(d);
  const words = describeDuration(d);
  if (key === 'prospect' && days > 3 * 365.25 + 1) return [`${words} is longer than the 3 years the CNIL accepts for prospects`];
  if (key === 'client-marketing' && days > 3 * 365.25 + 1) return [`${words} is longer than the 3 years the CNIL accepts after the end of a relationship`];
  if (key === 'invoices' && days < 10 * 365.25 - 1) {
    return [`${words} is shorter than the 10 years French law requires for accounting documents (Code de commerce L123-22)`];
  }
  return [];
}
