import type { Db } from '../port.js';

export class SettingsRepo {
  private readonly getStmt;
  private readonly setStmt;
  private readonly allStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.setStmt = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.allStmt = db.prepare('SELECT key, value FROM settings ORDER BY key');
  }

  get(key: string): string | undefined {
    return (this.getStmt.get(key) as { value: string } | undefined)?.value;
  }

  set(key: string, value: string): void {
    this.setStmt.run(key, value);
  }

  all(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const r of this.allStmt.all() as { key: string; value: string }[]) out[r.key] = r.value;
    return out;
  }
}
