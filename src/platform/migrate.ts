// Each domain owns its schema in `src/<domain>/migrations/NNNN_name.sql`; the number orders them
// across domains. Applied once each, in one transaction per file, under an advisory lock so that
// several app processes starting together on one PostgreSQL server do not race.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MIGRATION_LOCK = 727_001;

export interface Migration {
  name: string;
  file: string;
}

export function listMigrations(): Migration[] {
  const found: Migration[] = [];
  for (const domain of fs.readdirSync(SRC)) {
    const dir = path.join(SRC, domain, 'migrations');
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.sql')) found.push({ name: f, file: path.join(dir, f) });
  }
  found.sort((a, b) => a.name.localeCompare(b.name));
  const seen = new Set<string>();
  for (const m of found) {
    const num = m.name.split('_')[0]!;
    if (seen.has(num)) throw new Error(`两个迁移文件使用了同一编号 ${num}`);
    seen.add(num);
  }
  return found;
}

export async function migrate(db: Db): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const done = new Set((await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
    for (const m of listMigrations()) {
      if (done.has(m.name)) continue;
      await tx.exec(fs.readFileSync(m.file, 'utf8'));
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [m.name]);
      applied.push(m.name);
    }
  });
  return applied;
}
