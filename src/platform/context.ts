import type { FastifyRequest } from 'fastify';
import type { Config } from './config.ts';
import type { Db } from './db.ts';
import type { Logger } from './log.ts';
import type { Actor } from './actor.ts';

/** What every route and service gets: the database, the configuration, the logger and who is asking. */
export interface AppContext {
  db: Db;
  config: Config;
  log: Logger;
  /** Is this a demo installation (shows the 演示环境 banner)? */
  demo: boolean;
  /**
   * Resolves the actor of a request from its session cookie or bearer token. With `required`,
   * refuses anonymous requests (401), cookie writes without a valid CSRF token (403) and tokens
   * that lack `scope` (403).
   */
  authenticate(req: FastifyRequest, required: boolean, scope?: string): Promise<Actor | null>;
}
