// A fresh database per test file: in-memory PGlite by default, or — when DATABASE_URL is set — a
// scratch database created on that PostgreSQL server and dropped afterwards. Tests run against both
// engines in CI (.ci/run).
import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Db } from '../../src/platform/db.ts';
import { migrate } from '../../src/platform/migrate.ts';

export const engine = process.env.DATABASE_URL ? 'postgres' : 'pglite';

export interface TestDb {
  db: Db;
  url?: string;
  drop(): Promise<void>;
}

export async function scratchDatabase(opts: { migrate?: boolean } = {}): Promise<TestDb> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const db = await openDatabase({ memory: true });
    if (opts.migrate !== false) await migrate(db);
    return { db, drop: () => db.close() };
  }
  const name = `sx_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString() });
  if (opts.migrate !== false) await migrate(db);
  return {
    db,
    url: url.toString(),
    async drop() {
      // A test that leaves a client checked out (an open transaction it meant to abandon) would make
      // pool.end() wait forever; the forced DROP below ends those sessions anyway.
      await Promise.race([db.close(), new Promise((r) => setTimeout(r, 5000))]);
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
