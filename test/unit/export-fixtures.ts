import { Writable } from 'node:stream';
import type { Ctx } from '../../src/core/context.js';
import { addCustomer } from '../../src/core/customers/add.js';
import { runExport, type ExportInput, type ExportResult } from '../../src/core/export/index.js';
import type { Channel, ConsentState, CustomerInput } from '../../src/core/model.js';

/** A stream that keeps what is written, as a string. */
export class Collector extends Writable {
  chunks: string[] = [];
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.chunks.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    cb();
  }
  get text(): string {
    return this.chunks.join('');
  }
}

export async function exportText(ctx: Ctx, input: ExportInput): Promise<{ text: string; result: ExportResult }> {
  const sink = new Collector();
  const result = await runExport(ctx, input, sink);
  return { text: sink.text, result };
}

/** CSV lines without the trailing empty one. */
export function lines(text: string): string[] {
  return text.replace(/\r?\n$/, '').split(/\r?\n/);
}

export function add(ctx: Ctx, input: CustomerInput & { categories?: string[] }): number {
  const { categories, ...fields } = input;
  const id = addCustomer(ctx, fields).customer.id;
  for (const name of categories ?? []) {
    ctx.store.db.prepare(ctx.store.dialect.insertOrIgnore(`categories (name, created_at) VALUES (?, '2026-01-01T00:00:00Z')`)).run(name);
    ctx.store.db
      .prepare(`INSERT INTO customer_categories (customer_id, category_id, assigned_at) SELECT ?, id, '2026-01-01T00:00:00Z' FROM categories WHERE name = ?`)
      .run(id, name);
  }
  return id;
}

export function consent(ctx: Ctx, customerId: number, channel: Channel, state: ConsentState, recordedAt: string, purpose = 'marketing'): void {
  ctx.store.consents.insert({ customerId, channel, purpose, state, source: 'test', proof: null, recordedAt });
}
