import type { Command } from 'commander';
import type { CustomerFieldName, CustomerInput } from '../../core/model.js';
import { UsageError } from '../../core/errors.js';
import { fieldOf, GIVEN_ENTRIES } from '../../core/fields/catalogue.js';
import { collect } from '../context.js';

/** flag → field, from the catalogue: the same names as the columns, in kebab-case. */
const FLAGS: [string, CustomerFieldName, string][] = GIVEN_ENTRIES.flatMap((e) => (e.flag ? [[e.flag.name, fieldOf(e), e.flag.help] as [string, CustomerFieldName, string]] : []));

export function customerFlags(cmd: Command): Command {
  for (const [flag, , help] of FLAGS) cmd.option(`--${flag} <value>`, help);
  cmd.option('--extra <key=value>', 'any other field, kept as is (repeatable)', collect, []);
  return cmd;
}

function camel(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
}

export function inputFromFlags(opts: Record<string, unknown>): CustomerInput {
  const input: CustomerInput = {};
  for (const [flag, field] of FLAGS) {
    const v = opts[camel(flag)];
    if (typeof v === 'string') input[field] = v;
  }
  const extra: Record<string, string> = {};
  for (const kv of (opts.extra as string[] | undefined) ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UsageError(`--extra '${kv}' is not key=value`, 'for example --extra "Taille=M"');
    extra[kv.slice(0, eq).trim()] = kv.slice(eq + 1);
  }
  if (Object.keys(extra).length > 0) input.extra = extra;
  return input;
}

/** Asks, in a terminal, for the fields a new customer needs. */
export async function promptMissing(input: CustomerInput): Promise<CustomerInput> {
  const { input: ask, select } = await import('@inquirer/prompts');
  const next: CustomerInput = { ...input };
  next.kind ??= await select({ message: 'Kind', choices: [{ value: 'person', name: 'a person' }, { value: 'company', name: 'a company' }] });
  if (next.kind === 'company') {
    next.companyName ??= await ask({ message: 'Company name', required: true });
    next.siret ??= (await ask({ message: 'SIRET (optional)' })) || undefined;
  } else {
    next.firstName ??= (await ask({ message: 'First name' })) || undefined;
    next.lastName ??= await ask({ message: 'Last name', required: true });
  }
  next.email ??= (await ask({ message: 'E-mail (optional)' })) || undefined;
  next.phone ??= (await ask({ message: 'Phone (optional)' })) || undefined;
  next.city ??= (await ask({ message: 'City (optional)' })) || undefined;
  return next;
}
