// Test support for the calendar: an in-memory PGlite with every migration applied, as in production,
// and a fake context whose authenticate() takes the actor from a test header.
import type { FastifyRequest } from 'fastify';
import { openDatabase, type Db } from '../db.ts';
import { migrate } from '../migrate.ts';
import { AppError } from '../errors.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import type { AppContext } from '../context.ts';
import type { Actor, Role } from '../actor.ts';

export async function calendarTestDb(): Promise<Db> {
  const db = await openDatabase({ memory: true });
  await migrate(db);
  return db;
}

export function testActor(role: Role, kind: Actor['kind'] = 'user'): Actor {
  return { kind, id: '00000000-0000-4000-8000-00000000000' + (ROLE_IDS[role] ?? 0), name: `测试${role}`, role, agencyId: '00000000-0000-4000-8000-0000000000aa', jurisdiction: null, scopes: [] };
}
const ROLE_IDS: Partial<Record<Role, number>> = { officer: 1, reviewer: 2, agency_head: 3, agency_admin: 4, supervisor: 5, system_admin: 6 };

/** A context whose requests act as the role named in the `x-test-role` header (none: anonymous). */
export function testContext(db: Db): AppContext {
  return {
    db,
    config: loadConfig({ SANXIANG_CLOCK: process.env.SANXIANG_CLOCK ?? '' }),
    log: createLogger('silent'),
    demo: false,
    async authenticate(req: FastifyRequest, required: boolean) {
      const role = req.headers['x-test-role'];
      if (typeof role === 'string') return testActor(role as Role);
      if (required) throw new AppError('unauthenticated');
      return null;
    },
  };
}
