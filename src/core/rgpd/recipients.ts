import type { Ctx } from '../context.js';
import { RgpdReadRepo } from '../../db/repositories/rgpd-read.js';

export interface Recipient {
  /** Who received the data, as far as the export says (a preset names the tool). */
  recipient: string;
  exports: number;
  first_at: string;
  last_at: string;
  /** Customer rows sent, when the export recorded it. */
  rows: number | null;
  /** true: the tool's provider is outside the EU (a transfer, RGPD ch. V); null: unknown. */
  outside_eu: boolean | null;
  purposes: string[];
}

const KNOWN_TOOLS: Readonly<Record<string, { name: string; outsideEu: boolean }>> = {
  brevo: { name: 'Brevo (Sendinblue SAS, France)', outsideEu: false },
  mailchimp: { name: 'Mailchimp (Intuit Inc., USA: EU-US Data Privacy Framework)', outsideEu: true },
  google: { name: 'Google Contacts (Google LLC, USA: EU-US Data Privacy Framework)', outsideEu: true },
  outlook: { name: 'Microsoft Outlook (Microsoft Corp., USA: EU-US Data Privacy Framework)', outsideEu: true },
};

const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The recipients of the file: every export recorded in the audit log (action export…), grouped by tool or format. */
export function exportRecipients(ctx: Ctx): Recipient[] {
  const read = ctx.store.extension('rgpd-read', (db) => new RgpdReadRepo(db));
  const groups = new Map<string, Recipient>();
  for (const e of read.audit({ action: 'export*' }).reverse()) {
    const d = e.details;
    const preset = text(d.preset)?.toLowerCase() ?? null;
    const tool = preset ? KNOWN_TOOLS[preset] : undefined;
    const key = tool?.name ?? (preset ? `${preset} (preset)` : `${text(d.format) ?? 'file'} export (recipient not recorded)`);
    const rows = num(d.rows) ?? num(d.count) ?? num(d.exported) ?? num(d.written);
    const g = groups.get(key) ?? { recipient: key, exports: 0, first_at: e.at, last_at: e.at, rows: null, outside_eu: tool ? tool.outsideEu : null, purposes: [] };
    g.exports++;
    g.last_at = e.at;
    if (rows !== null) g.rows = (g.rows ?? 0) + rows;
    const purpose = text(d.for) ?? text(d.purpose);
    if (purpose && !g.purposes.includes(purpose)) g.purposes.push(purpose);
    groups.set(key, g);
  }
  return [...groups.values()];
}
