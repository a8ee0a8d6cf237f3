// Every domain's routes, in one list.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { AppContext } from './platform/context.ts';
import { registerAccountRoutes } from './accounts/routes.ts';
import { registerRegistryRoutes } from './registry/routes.ts';
import { registerDashboardRoutes } from './supervision/dashboard.ts';
import { registerCalendarRoutes } from './platform/calendar/routes.ts';
import { registerLedgerRoutes } from './ledger/routes.ts';
import { registerBlobRoutes } from './blobs/routes.ts';
import { registerCaseRoutes } from './cases/routes.ts';
import { registerInspectionRoutes } from './inspections/routes.ts';
import { registerPublicityRoutes } from './publicity/routes.ts';
import { registerSupervisionRoutes } from './supervision/routes.ts';
import { registerMatterRoutes } from './registry/matters-routes.ts';
import { registerAnnualRoutes } from './annual/routes.ts';
import { registerGuideRoutes } from './guides/routes.ts';
import { registerAssistRoutes } from './assist/routes.ts';
import { registerBoardRoutes } from './boards/routes.ts';
import { registerReviewRoutes } from './review/routes.ts';
import { registerDeskRoutes } from './desk/routes.ts';
import { registerAccountabilityRoutes } from './cases/accountability-routes.ts';
import { registerDeviceRoutes } from './devices/routes.ts';

const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web/dist');

export async function registerRoutes(app: FastifyInstance, ctx: AppContext) {
  await registerAccountRoutes(app, ctx);
  await registerRegistryRoutes(app, ctx);
  await registerDashboardRoutes(app, ctx);
  await registerCalendarRoutes(app, ctx);
  await registerLedgerRoutes(app, ctx);
  await registerBlobRoutes(app, ctx);
  await registerCaseRoutes(app, ctx);
  await registerInspectionRoutes(app, ctx);
  await registerPublicityRoutes(app, ctx);
  await registerSupervisionRoutes(app, ctx);
  await registerMatterRoutes(app, ctx);
  await registerAnnualRoutes(app, ctx);
  await registerGuideRoutes(app, ctx);
  await registerAssistRoutes(app, ctx);
  await registerBoardRoutes(app, ctx);
  await registerReviewRoutes(app, ctx);
  await registerDeskRoutes(app, ctx);
  await registerAccountabilityRoutes(app, ctx);
  await registerDeviceRoutes(app, ctx);
  await registerAdminApp(app);
}

/** The back office is a single-page app built by Vite at install; client routes fall back to index.html. */
async function registerAdminApp(app: FastifyInstance) {
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
    app.get('/admin/*', async (_req, reply) => reply.code(503).type('text/plain; charset=utf-8').send('后台界面尚未构建：请运行 npm run build:web'));
    return;
  }
  await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/admin/', wildcard: false, index: ['index.html'], cacheControl: false });
  const indexHtml = fs.readFileSync(path.join(WEB_DIST, 'index.html'));
  app.get('/admin', async (_req, reply) => reply.redirect('/admin/'));
  app.get('/admin/*', async (req, reply) => {
    // Hashed assets that do not exist are real 404s; any other path is a client route.
    if (req.url.startsWith('/admin/assets/')) return reply.callNotFound();
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
  });
}
