// Stand-in for `sanxiang serve --demo` while src/routes.ts and the serve command do not yet wire the
// ledger: the same createApp, plus the ledger and evidence routes and the sequencer, exactly as the
// wiring will add them. ledger-crash.test.ts uses the real CLI as soon as it serves /ledger/checkpoint.
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { loadDemoIfEmpty } from '../../src/seed/demo.ts';
import { registerLedgerRoutes } from '../../src/ledger/routes.ts';
import { startSequencer } from '../../src/ledger/sequencer.ts';
import { registerBlobRoutes } from '../../src/blobs/routes.ts';

const config = loadConfig();
const app = await createApp(config);
await registerLedgerRoutes(app.server, app.ctx);
await registerBlobRoutes(app.server, app.ctx);
if (await loadDemoIfEmpty(app.ctx)) app.ctx.demo = true;
const sequencer = startSequencer(app.ctx);
const stop = async () => {
  await sequencer.stop();
  await app.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
await app.server.listen({ port: config.port, host: '127.0.0.1' });
