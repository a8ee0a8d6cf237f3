// sanxiang: serve, init, migrate, seed, demo, ledger fsck, verify, jobs run.
import { parseArgs } from 'node:util';
import { loadConfig } from './platform/config.ts';
import { openDatabase } from './platform/db.ts';
import { migrate } from './platform/migrate.ts';
import { AppError } from './platform/errors.ts';
import { createApp } from './app.ts';

const HELP = `用法：sanxiang <命令> [选项]

  serve [--demo]        启动平台（PORT，默认 3000）；--demo：空库首次启动时载入演示数据
  init --agency 名称 --credit-code 代码 --region 区划
                        生产安装：登记运行平台的司法行政机关并创建系统管理员（随机密码只显示一次），不含演示数据
  migrate               只执行数据库迁移
  demo                  载入演示数据（空库）
  seed --scale N        生成 N 名执法人员规模的合成数据（测试与压测用）
  ledger fsck           按最新检查点重算账本全部条目与瓦片，报告第一处不一致
  verify <地址>         离线核验他人平台的账本：签名、瓦片、证明，且只增不改（记住上次检查点）
  verify-draw <地址> <任务编号>
                        按 sanxiang-draw/v1 重新计算双随机抽取结果并与公布的比对（docs/DRAW.md）
  jobs run              立即执行一次每日任务（公示期满下线、前一日监督预警重新计算），补做漏掉的日期；已执行的不重复
  help                  显示本帮助

数据库：设置 DATABASE_URL 使用 PostgreSQL 服务器，否则使用 DATA_DIR（默认 ./data）下的嵌入式 PGlite。`;

async function main(argv: string[]) {
  const [command = 'help', ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'serve': {
      const { values } = parseArgs({ args: rest, options: { demo: { type: 'boolean', default: false } } });
      const app = await createApp(config);
      const { startSequencer } = await import('./ledger/sequencer.ts');
      const { preloadFonts } = await import('./cases/documents/index.ts');
      if (values.demo) {
        const { loadDemoIfEmpty } = await import('./seed/demo.ts');
        if (await loadDemoIfEmpty(app.ctx)) app.ctx.demo = true;
      }
      const sequencer = startSequencer(app.ctx);
      // Publicity (issue 8): pushes publications to subscribers from the outbox.
      const { startWebhookDispatcher } = await import('./publicity/webhooks.ts');
      const webhooks = startWebhookDispatcher(app.ctx);
      // Daily jobs (publicity expiry, supervision recomputation), claimed per job and day in job_runs.
      const { startJobScheduler } = await import('./jobs/service.ts');
      const jobs = startJobScheduler(app.ctx);
      const stop = async (signal: string) => {
        app.ctx.log.info({ signal }, 'shutting down');
        await sequencer.stop();
        await webhooks.stop();
        await jobs.stop();
        await app.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
      await app.server.listen({ port: config.port, host: config.host });
      // Font subsetting tables load after the port is open, so /healthz answers at once.
      void preloadFonts().catch((err: unknown) => app.ctx.log.warn({ err }, 'font preload failed'));
      app.ctx.log.info({ engine: app.ctx.db.engine, demo: app.ctx.demo }, `三项平台已启动：${config.publicUrl}`);
      return;
    }
    case 'migrate': {
      const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      const applied = await migrate(db);
      await db.close();
      console.log(applied.length ? `已执行迁移：${applied.join(', ')}` : '数据库已是最新结构。');
      return;
    }
    case 'init': {
      const { values } = parseArgs({ args: rest, options: { agency: { type: 'string' }, 'credit-code': { type: 'string' }, region: { type: 'string' } } });
      if (!values.agency || !values['credit-code'] || !values.region) {
        throw new AppError('validation', { detail: '请提供运行本平台的司法行政机关：--agency 名称 --credit-code 统一社会信用代码 --region 行政区划代码' });
      }
      const app = await createApp(config);
      const { initProduction } = await import('./seed/demo.ts');
      const r = await initProduction(app.ctx, { name: values.agency, creditCode: values['credit-code'], regionCode: values.region });
      await app.close();
      console.log(r ? `已创建系统管理员 ${r.username}，初始密码：${r.password}\n请立即登录、绑定动态口令并修改密码。此密码不会再次显示。` : '已有用户，未做改动。');
      return;
    }
    case 'demo': {
      const app = await createApp(config);
      const { loadDemoIfEmpty } = await import('./seed/demo.ts');
      const loaded = await loadDemoIfEmpty(app.ctx);
      await app.close();
      console.log(loaded ? '演示数据已载入。' : '数据库非空，未载入演示数据。');
      return;
    }
    case 'seed': {
      const { values } = parseArgs({ args: rest, options: { scale: { type: 'string', default: '1000' }, seed: { type: 'string', default: '1' } } });
      const scale = Number(values.scale);
      if (!Number.isInteger(scale) || scale < 1 || scale > 10_000_000) throw new AppError('validation', { detail: '--scale 应为 1 到 10000000 之间的整数' });
      const app = await createApp(config);
      const { generate } = await import('./seed/generate.ts');
      const t0 = Date.now();
      const r = await generate(app.ctx, { officers: scale, seed: Number(values.seed) });
      await app.close();
      console.log(`已生成 ${r.agencies} 个执法主体、${r.officers} 名执法人员，用时 ${((Date.now() - t0) / 1000).toFixed(1)} 秒。`);
      return;
    }
    case 'ledger': {
      if (rest[0] !== 'fsck') throw new AppError('validation', { detail: '用法：sanxiang ledger fsck [--key <验证公钥>] [--json]' });
      const { values } = parseArgs({ args: rest.slice(1), options: { key: { type: 'string' }, json: { type: 'boolean', default: false } } });
      const app = await createApp(config);
      const { ledgerFsckCommand } = await import('./ledger/cli.ts');
      const code = await ledgerFsckCommand(app.ctx, { key: values.key, json: values.json });
      await app.close();
      process.exitCode = code;
      return;
    }
    case 'jobs': {
      if (rest[0] !== 'run') throw new AppError('validation', { detail: '用法：sanxiang jobs run' });
      const app = await createApp(config);
      const { runDueJobs } = await import('./jobs/service.ts');
      const ran = await runDueJobs(app.ctx);
      await app.close();
      for (const r of ran) console.log(`${r.job} ${r.day} ${r.status === 'done' ? `完成 ${JSON.stringify(r.result)}` : `失败：${r.error}`}`);
      if (!ran.length) console.log('今日各项任务均已执行，无需重复。');
      if (ran.some((r) => r.status === 'failed')) process.exitCode = 1;
      return;
    }
    case 'verify': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { key: { type: 'string' }, state: { type: 'string' }, json: { type: 'boolean', default: false } } });
      if (!positionals[0]) throw new AppError('validation', { detail: '用法：sanxiang verify <平台地址> [--key <验证公钥>] [--state <状态文件>]' });
      const { verifyCommand } = await import('./ledger/cli.ts');
      process.exitCode = await verifyCommand(positionals[0], { key: values.key, state: values.state, json: values.json });
      return;
    }
    case 'verify-draw': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
      if (!positionals[1]) throw new AppError('validation', { detail: '用法：sanxiang verify-draw <平台地址> <任务编号>' });
      const { verifyDrawCommand } = await import('./inspections/cli.ts');
      process.exitCode = await verifyDrawCommand(positionals[0]!, positionals[1], { json: values.json });
      return;
    }
    default:
      console.log(HELP);
  }
}

main(process.argv.slice(2)).catch((err) => {
  if (err instanceof AppError) console.error(`错误：${err.detail}`);
  else console.error(err);
  process.exit(1);
});
