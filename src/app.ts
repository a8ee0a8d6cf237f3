// Assembles the platform: configuration, database, migrations, context and HTTP server.
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from './platform/config.ts';
import { openDatabase, type Db } from './platform/db.ts';
import { migrate } from './platform/migrate.ts';
import { setClock } from './platform/clock.ts';
import { createLogger } from './platform/log.ts';
import type { AppContext } from './platform/context.ts';
import { buildServer } from './platform/http/server.ts';
import { makeAuthenticate } from './accounts/service.ts';
import { registerRoutes } from './routes.ts';

export interface App {
  ctx: AppContext;
  server: FastifyInstance;
  close(): Promise<void>;
}

export async function openContext(config: Config, opts: { memory?: boolean; db?: Db } = {}): Promise<AppContext> {
  setClock(config.clockStart);
  const log = createLogger(config.logLevel);
  const db = opts.db ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, memory: opts.memory }));
  await migrate(db);
  const demo = (await db.query<{ value: boolean }>(`SELECT value FROM settings WHERE key = 'demo'`)).rows[0]?.value === true;
  const base = { db, config, log, demo };
  return { ...base, authenticate: makeAuthenticate(base) };
}

export async function createApp(config: Config = loadConfig(), opts: { memory?: boolean; db?: Db } = {}): Promise<App> {
  const ctx = await openContext(config, opts);
  const server = await buildServer(ctx, (app) => registerRoutes(app, ctx));
  return {
    ctx,
    server,
    async close() {
      await server.close();
      await ctx.db.close();
    },
  };
}
