import type { Command } from 'commander';

/** Every command shows at least one example a person can paste. */
export function examples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}

/** The help of a <ref> argument: the ways to name a customer (src/core/customers/ref.ts reads them). */
export const REF_HELP = 'id, uid, e-mail, phone or SIRET';

/** `--sort` of list and export: one description for both. */
export const SORT_HELP = 'sort by fields (yours too), comma-separated; -field for descending; empty values last (default: id)';

/** A comma-separated option value as a list (--sort, --columns). */
export const commaList = (v: string): string[] => v.split(',').map((s) => s.trim()).filter(Boolean);
