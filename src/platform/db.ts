// One SQL dialect everywhere: PGlite (embedded PostgreSQL) by default, a PostgreSQL server when
// DATABASE_URL is set. Both are reached through the same small interface so that no module knows
// which engine runs underneath.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { PGlite } from '@electric-sql/pglite';
// Publicity search: substring matches on 文号 and names (issue 8).
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { AppError } from './errors.ts';

export interface QueryResult<T> {
  rows: T[];
  affectedRows: number;
}

/** Anything that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** PostgreSQL's connection string, for worker threads that open connections of their own (PGlite: none, it lives in this thread). */
  readonly url?: string;
  /** Runs fn in one transaction: everything it writes commits together or not at all. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * The bytes of `COPY (…) TO STDOUT` as a stream, on PostgreSQL only: the server formats the rows, so a
   * bulk export allocates no JavaScript object per row (issue 8: a keyset export's dead rows filled V8's
   * old generation between collections, +150 to +240 MB at 6 M rows). Null on PGlite, which has no
   * streaming COPY, and when COPY_SLOTS copies already run: each holds a pooled connection for its whole
   * length, so they may not take the pool from the requests. The SQL takes no parameters (COPY cannot):
   * literals go in through `literal`. `prefix`: bytes sent before the copy's (a BOM).
   */
  copyOut(sql: string, prefix?: Buffer): Readable | null;
  close(): Promise<void>;
}

/** A SQL string literal for a COPY statement, which takes no bind parameters. */
export const literal = (v: string) => pg.escapeLiteral(v);

const INT8 = 20;
const DATE = 1082;
// Counts and sequence numbers stay below 2^53; dates are legal calendar dates, never shifted by a time zone.
const parseInt8 = (v: string) => Number(v);
const parseDate = (v: string) => v;

export interface OpenOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** In-memory PGlite (tests). */
  memory?: boolean;
}

export async function openDatabase(opts: OpenOptions): Promise<Db> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl);
  return openPglite(opts.memory ? undefined : opts.dataDir ?? './data');
}

async function openPostgres(url: string): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8) return parseInt8;
        if (oid === DATE) return parseDate;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection dropped by the server (restart, DROP DATABASE … FORCE) must not crash the process;
  // the pool replaces it on next use.
  pool.on('error', () => undefined);
  // Fail at start, not at the first request, when the server cannot be reached.
  const client = await pool.connect();
  client.release();
  const wrap = (c: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params?: readonly unknown[]) {
      const r = await c.query(sql, params as unknown[] | undefined);
      return { rows: r.rows as T[], affectedRows: r.rowCount ?? 0 };
    },
    async exec(sql: string) {
      await c.query(sql);
    },
  });
  const base = wrap(pool);
  const copySlots = Math.max(1, Math.floor(pool.options.max / 5));
  let copying = 0;
  return {
    engine: 'postgres',
    url,
    query: base.query,
    exec: base.exec,
    copyOut(sql, prefix) {
      if (copying >= copySlots) return null;
      copying++;
      return copyFromPool(pool, sql, prefix, () => copying--);
    },
    async transaction(fn) {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const result = await fn(wrap(c));
        await c.query('COMMIT');
        return result;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * A copy passes tens of MB/s of Buffers through the process but makes almost no JavaScript objects, and V8
 * collects the young generation (where those Buffers die) only when JavaScript objects fill it: the dead
 * Buffers' memory piled up between collections and fragmented malloc's arenas (the 6 M-row export from the
 * server: +250 MB over idle without this, flat with a minor collection every 16 MB passed; measured in
 * docs/PERFORMANCE.md, issue 8). A minor collection costs about a millisecond. `gc` is V8's own, exposed to
 * a context made for it alone.
 */
const MINOR_GC_EVERY = 16 * 2 ** 20;
const minorGc: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as (o: { type: 'minor' }) => void;
  return () => gc({ type: 'minor' });
})();

/**
 * Runs one COPY TO STDOUT on a connection of its own from the pool. A copy read to its end gives the
 * connection back; one given up early (the client went away) or failed closes it, since it is still
 * inside the COPY, and the server ends the query when it finds the socket closed.
 */
function copyFromPool(pool: pg.Pool, sql: string, prefix: Buffer | undefined, done: () => void): Readable {
  const out = new Readable({ read() {} });
  if (prefix) out.push(prefix);
  let client: pg.PoolClient | null = null;
  let copy: ReturnType<typeof copyStreams.to> | null = null;
  let finished = false;
  const release = (err?: Error) => {
    if (finished) return;
    finished = true;
    done();
    client?.release(err ?? false);
  };
  out._read = () => copy?.resume();
  out._destroy = (err, cb) => {
    release(new Error('copy given up'));
    cb(err);
  };
  pool.connect().then(
    (c) => {
      if (out.destroyed) return c.release();
      client = c;
      copy = c.query(copyStreams.to(sql));
      // Backpressure: the copy stream is paused while the consumer is behind, and the socket with it.
      let sinceCollection = 0;
      copy.on('data', (chunk: Buffer) => {
        sinceCollection += chunk.length;
        if (sinceCollection >= MINOR_GC_EVERY) {
          sinceCollection = 0;
          minorGc();
        }
        if (!out.push(chunk)) copy!.pause();
      });
      copy.on('end', () => {
        release();
        out.push(null);
      });
      copy.on('error', (err: Error) => {
        release(err);
        out.destroy(err);
      });
    },
    (err: Error) => {
      release(err);
      out.destroy(err);
    },
  );
  return out;
}

async function openPglite(dataDir: string | undefined): Promise<Db> {
  let releaseLock = () => {};
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    releaseLock = lockDataDir(dataDir);
  }
  let db: PGlite;
  try {
    db = await PGlite.create({
      dataDir: dataDir ? path.join(dataDir, 'pg') : undefined,
      parsers: { [INT8]: parseInt8, [DATE]: parseDate },
      extensions: { pg_trgm },
    });
  } catch (err) {
    releaseLock();
    throw err;
  }
  const wrap = (c: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T>(sql: string, params?: readonly unknown[]) {
      const r = await c.query<T>(sql, params as unknown[] | undefined);
      return { rows: r.rows, affectedRows: r.affectedRows ?? 0 };
    },
    async exec(sql: string) {
      await c.exec(sql);
    },
  });
  const base = wrap(db);
  return {
    engine: 'pglite',
    query: base.query,
    exec: base.exec,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    copyOut: () => null,
    async close() {
      await db.close();
      releaseLock();
    },
  };
}

/**
 * PGlite corrupts a folder that two processes open at once, so the first process takes a lock file
 * holding its pid; a second one is refused while that pid lives. A lock left by a killed process is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'sanxiang.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      const release = () => {
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lockPath, 'utf8'));
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new AppError('data_dir_locked', {
          detail: `数据目录 ${path.resolve(dataDir)} 已被进程 ${holder} 打开；嵌入式数据库同一时间只允许一个进程使用。`,
        });
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new AppError('data_dir_locked', { detail: `无法锁定数据目录 ${path.resolve(dataDir)}。` });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
