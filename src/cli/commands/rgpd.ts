import type { Command } from 'commander';
import { examples } from '../help.js';
import { registerRgpdAccess, registerRgpdRegister } from './rgpd-access.js';
import { registerRgpdForget } from './rgpd-forget.js';
import { registerRgpdLog } from './rgpd-log.js';
import { registerRgpdPolicy } from './rgpd-policy.js';
import { registerRgpdPurge } from './rgpd-purge.js';
import { registerRgpdConsent, registerRgpdOptout, registerRgpdRestrict } from './rgpd-rights.js';

/** carnet rgpd …: retention, erasure, access, opposition, consent, restriction, audit and the art. 30 register. */
export function registerRgpd(program: Command): void {
  const group = program
    .command('rgpd')
    .description('RGPD: retention policy and purge, erasure, access, opposition, consent, restriction, audit log, register');
  examples(group, ['carnet rgpd policy', 'carnet rgpd purge --dry-run', 'carnet rgpd forget elodie.meyer@sfr.fr', 'carnet rgpd register --out registre.md']);
  registerRgpdPolicy(group);
  registerRgpdPurge(group);
  registerRgpdForget(group);
  registerRgpdAccess(group);
  registerRgpdOptout(group);
  registerRgpdConsent(group);
  registerRgpdRestrict(group);
  registerRgpdLog(group);
  registerRgpdRegister(group);
}
