// SSRF guard for webhook subscribers (issue 8): private, loopback, link-local, metadata and reserved
// addresses are refused at registration and again at delivery, every resolved address is checked, the
// connection goes to the checked address only, and only an explicit allowlist opens a private network.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkPolicy, checkTarget, postPinned } from '../src/publicity/ssrf.ts';
import { fanOut, sendDue } from '../src/publicity/webhooks.ts';
import { getCalendar } from '../src/platform/calendar/index.ts';
import { confirmAndPublish, draftFromDecision } from '../src/publicity/service.ts';
import { caseWorld, type CaseWorld } from './cases.fixtures.ts';

const REFUSED = [
  '127.0.0.1', '127.8.9.10', '0.0.0.0', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.100.100.200', '100.64.0.1',
  '198.18.0.1', '224.0.0.1', '255.255.255.255', '::', '::1', 'fe80::1', 'fc00::1', 'fd00:ec2::254', '::ffff:127.0.0.1', '::ffff:a9fe:a9fe', '64:ff9b::a9fe:a9fe', 'ff02::1',
];
const PERMITTED = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '223.5.5.5', '2400:3200::1', '::ffff:8.8.8.8'];

describe('network policy', () => {
  it('refuses private, loopback, link-local, metadata and reserved addresses; permits public ones', () => {
    const p = new NetworkPolicy();
    for (const ip of REFUSED) expect(p.permits(ip), ip).toBe(false);
    for (const ip of PERMITTED) expect(p.permits(ip), ip).toBe(true);
    expect(p.permits('not-an-ip')).toBe(false);
  });

  it('an explicit allowlist opens exactly its networks', () => {
    const p = new NetworkPolicy(['127.0.0.1/32']);
    expect(p.permits('127.0.0.1')).toBe(true);
    expect(p.permits('::ffff:127.0.0.1')).toBe(true);
    expect(p.permits('127.0.0.2')).toBe(false);
    expect(p.permits('169.254.169.254')).toBe(false);
    expect(() => new NetworkPolicy(['nonsense'])).toThrow();
  });

  it('checks every address a name resolves to, and answers the checked one', async () => {
    const p = new NetworkPolicy();
    const resolver = (answers: string[]) => (async () => answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))) as never;
    await expect(checkTarget('https://hooks.example.com/x', p, resolver(['93.184.216.34', '10.0.0.5']))).rejects.toMatchObject({ detail: expect.stringContaining('10.0.0.5') });
    const ok = await checkTarget('https://hooks.example.com/x', p, resolver(['93.184.216.34', '2606:2800:220:1::1']));
    expect(ok).toMatchObject({ address: '93.184.216.34', family: 4 });
    await expect(checkTarget('https://nowhere.invalid/x', p)).rejects.toMatchObject({ detail: expect.stringContaining('无法解析') });
    // The real resolver: localhost is loopback.
    await expect(checkTarget('http://localhost:8080/x', p)).rejects.toMatchObject({ detail: expect.stringContaining('受限地址') });
    await expect(checkTarget('http://[::ffff:127.0.0.1]:8080/x', p)).rejects.toMatchObject({ status: 400 });
  });
});

let w: CaseWorld;
let server: http.Server;
let port = 0;
const hits: { host: string | undefined }[] = [];
beforeAll(async () => {
  w = await caseWorld();
  server = http.createServer((req, res) => {
    hits.push({ host: req.headers.host });
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
}, 120_000);
afterAll(async () => {
  server?.close();
  await w?.app.close();
});

describe('webhooks without an allowlist (the default)', () => {
  it('registration refuses loopback, metadata and names resolving to them, with a Chinese reason', async () => {
    const agencyId = w.ids.get('city_scjg')!;
    for (const url of [`http://127.0.0.1:${port}/hook`, 'http://169.254.169.254/latest/meta-data/', `http://localhost:${port}/hook`, 'http://[::1]/hook', 'http://100.100.100.200/latest/meta-data/']) {
      const r = await w.api.admin('POST', '/api/v1/webhook-subscribers', { agencyId, url });
      expect(r.statusCode, url).toBe(400);
      expect(r.json().detail, url).toMatch(/受限地址|无法解析/);
    }
    const { rows } = await w.app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_subscribers`);
    expect(rows[0]!.n).toBe(0);
  });

  it('delivery checks again: a subscriber whose address is now loopback gets nothing, and the log says why', async () => {
    const agencyId = w.ids.get('city_scjg')!;
    // As if the name had resolved to a public address at registration and to loopback now (DNS rebinding).
    await w.app.ctx.db.query(`INSERT INTO webhook_subscribers (id, agency_id, url, secret) VALUES ('6f1c2a9e-1d2b-4c3d-8e4f-5a6b7c8d9e0f', $1, $2, 'whsec_c3NyZnNzcmZzc3Jmc3NyZnNzcmY=')`, [agencyId, `http://localhost:${port}/hook`]);
    const cal = await getCalendar(w.app.ctx.db);
    const d = await w.app.ctx.db.transaction((tx) => draftFromDecision(tx, cal, {
      agencyId, caseId: null, procedureId: 'penalty-general', kind: 'penalty', decidedOn: '2026-11-20', documentNumber: '演示市监罚〔2026〕7101号', title: '推送防护测试案',
      text: '当事人某某公司违反规定，罚款人民币20000元。', party: { name: '某某公司', type: 'organisation', idNumber: null }, penaltyKinds: ['罚款'], fineAmount: 20000,
      violation: '违规', content: '罚款20000元', basis: '依据', actorId: null,
    }));
    const head = { kind: 'user' as const, id: (await w.app.ctx.db.query<{ id: string }>(`SELECT id FROM users WHERE username = 'scjg_head'`)).rows[0]!.id, name: '局长', role: 'agency_head' as const, agencyId, jurisdiction: null, scopes: [] };
    await confirmAndPublish(w.app.ctx, null, head, d.id, { redactions: [] });
    expect(await fanOut(w.app.ctx)).toBe(1);
    expect(await sendDue(w.app.ctx, { backoffMs: 50, timeoutMs: 2000 })).toBe(0);
    expect(hits).toHaveLength(0);
    const log = (await w.api.admin('GET', '/api/v1/webhook-subscribers/6f1c2a9e-1d2b-4c3d-8e4f-5a6b7c8d9e0f/deliveries')).json().items;
    expect(log[0]).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null });
    expect(log[0].lastError).toContain('受限地址');
  });

  it('the connection goes to the checked address, whatever the name resolves to, with the name as Host', async () => {
    const status = await postPinned({ url: new URL(`http://receiver.invalid:${port}/hook`), address: '127.0.0.1', family: 4 }, '{}', { 'content-type': 'application/json' }, 2000);
    expect(status).toBe(204);
    expect(hits.at(-1)!.host).toBe(`receiver.invalid:${port}`);
  });
});
