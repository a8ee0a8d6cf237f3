// A second HTTP server on a test app's context whose logger writes into memory, so that tests can
// assert what the platform logs (issue 15: nothing at error level for a client's mistake). Sessions
// and data live in the database, so the demo sessions of the test app work on it unchanged.
import type { FastifyInstance } from 'fastify';
import type { App } from '../../src/app.ts';
import { createLogger } from '../../src/platform/log.ts';
import { buildServer } from '../../src/platform/http/server.ts';
import { registerRoutes } from '../../src/routes.ts';

export interface LogLine {
  level: number;
  msg?: string;
  err?: { stack?: string };
  [k: string]: unknown;
}

export interface CapturedServer {
  server: FastifyInstance;
  lines: LogLine[];
  /** Lines at error level (pino 50) or above. */
  errors(): LogLine[];
  /** Lines carrying a stack trace, at any level. */
  stacks(): LogLine[];
}

export async function captureServer(app: App): Promise<CapturedServer> {
  const lines: LogLine[] = [];
  const log = createLogger('info', { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  const ctx = { ...app.ctx, log };
  const server = await buildServer(ctx, (s) => registerRoutes(s, ctx));
  await server.ready();
  return {
    server,
    lines,
    errors: () => lines.filter((l) => l.level >= 50),
    stacks: () => lines.filter((l) => typeof l.err?.stack === 'string' || JSON.stringify(l).includes('    at ')),
  };
}
