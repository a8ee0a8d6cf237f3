// Command-line entry points of the ledger, wired by src/cli.ts:
//   sanxiang ledger fsck [--key <vkey>] [--json]   → ledgerFsckCommand
//   sanxiang verify <url> [--key <vkey>] [--state <file>] [--json] → verifyCommand
// Each returns the process exit code (0 fine, 1 the log failed a check, 2 could not run).
import type { AppContext } from '../platform/context.ts';
import { loadLedgerConfig } from './config.ts';
import { formatFindingsText } from './entry.ts';
import { fsckLedger, type FsckReport } from './fsck.ts';
import { loadLogIdentity } from './identity.ts';
import { ed25519Verifier, parseVerifierKey } from './note.ts';
import { verifyRemoteLog, type VerifyOptions, type VerifyResult } from './verify-remote.ts';

type Print = (line: string) => void;
const stdout: Print = (line) => process.stdout.write(`${line}\n`);
const stderr: Print = (line) => process.stderr.write(`${line}\n`);

export interface FsckCommandOptions {
  /** Check signatures against this published key instead of the one stored beside the log. */
  key?: string;
  json?: boolean;
  out?: Print;
  err?: Print;
}

export async function ledgerFsckCommand(ctx: Pick<AppContext, 'db' | 'config' | 'log'>, opts: FsckCommandOptions = {}): Promise<number> {
  const out = opts.out ?? stdout;
  const err = opts.err ?? stderr;
  let report: FsckReport;
  try {
    const identity = await loadLogIdentity(ctx.db, loadLedgerConfig(ctx.config), ctx.log);
    const verifiers = opts.key ? [ed25519Verifier(opts.key)] : identity.verifiers;
    const origin = opts.key ? parseVerifierKey(opts.key).name : identity.origin;
    report = await fsckLedger(ctx.db, verifiers, origin);
  } catch (e) {
    err(`账本检查无法运行：${(e as Error).message}`);
    return 2;
  }
  if (opts.json) out(JSON.stringify(report, null, 2));
  else if (report.ok) {
    out(`账本完好：${report.entriesChecked} 条条目、${report.tilesChecked} 个完整瓦片、${report.checkpointsChecked} 个检查点均与大小为 ${report.size} 的最新检查点一致。`);
    if (report.pending > 0) out(`另有 ${report.pending} 条已提交、尚待排序器整合的条目。`);
  } else {
    const d = report.divergence!;
    err(`账本检查发现第一处不一致（${d.kind}${d.level !== undefined ? `，第 ${d.level} 层` : ''}，位置 ${d.at}）：${d.detail}`);
    err(`此前已核对 ${report.entriesChecked} 条条目、${report.tilesChecked} 个瓦片、${report.checkpointsChecked} 个检查点。`);
  }
  const finding = formatFindingsText(report.format);
  if (finding && !opts.json) err(finding);
  return report.ok ? 0 : 1;
}

export interface VerifyCommandOptions extends Omit<VerifyOptions, 'url' | 'say' | 'statePath'> {
  state?: string;
  json?: boolean;
  out?: Print;
  err?: Print;
}

export async function verifyCommand(url: string, opts: VerifyCommandOptions = {}): Promise<number> {
  const out = opts.out ?? stdout;
  const err = opts.err ?? stderr;
  let result: VerifyResult;
  try {
    result = await verifyRemoteLog({ ...opts, url, statePath: opts.state, say: opts.json ? undefined : out });
  } catch (e) {
    err(`验证无法运行：${(e as Error).message}`);
    return 2;
  }
  if (opts.json) out(JSON.stringify(result, null, 2));
  if (!result.ok) {
    err(`验证失败：${result.error}`);
    return 1;
  }
  if (!opts.json) out(`验证通过：${result.origin} 大小 ${result.size}，根哈希 ${result.root}；状态已记入 ${result.statePath}`);
  return 0;
}
