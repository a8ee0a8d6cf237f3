// Webhooks (R-P17, R-I02): Standard Webhooks signature, retries with backoff after a receiver outage,
// delivery state that survives a restart of the dispatcher, the public projection as payload.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCalendar } from '../src/platform/calendar/index.ts';
import { idCheckDigit } from '../src/publicity/redact.ts';
import { confirmAndPublish, draftFromDecision, recordRemedy } from '../src/publicity/service.ts';
import { fanOut, sendDue, startWebhookDispatcher } from '../src/publicity/webhooks.ts';
import { caseWorld, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
let server: http.Server;
let url = '';
let up = false;
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
let refused = 0;

beforeAll(async () => {
  // The receiver runs on loopback, which the SSRF guard refuses by default: this installation allows it explicitly.
  w = await caseWorld({ WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32' });
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (!up) {
        refused++;
        res.writeHead(503).end();
        return;
      }
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}, 120_000);
afterAll(async () => {
  server?.close();
  await w?.app.close();
});

describe('webhooks', () => {
  it('signs, retries after an outage, survives a dispatcher restart, and sends only the public projection', async () => {
    const agencyId = w.ids.get('city_scjg')!;
    const sub = await w.api.admin('POST', '/api/v1/webhook-subscribers', { agencyId, url });
    expect(sub.statusCode, sub.body).toBe(201);
    const { id: subscriberId, secret } = sub.json();
    expect(secret).toMatch(/^whsec_/);
    expect((await w.api.officer('POST', '/api/v1/webhook-subscribers', { agencyId, url })).statusCode).toBe(403);
    expect((await w.api.admin('POST', '/api/v1/webhook-subscribers', { agencyId, url: 'file:///etc/passwd' })).statusCode).toBe(400);

    const id = '33010619850315231' + idCheckDigit('33010619850315231');
    const cal = await getCalendar(w.app.ctx.db);
    const d = await w.app.ctx.db.transaction((tx) => draftFromDecision(tx, cal, {
      agencyId, caseId: null, procedureId: 'penalty-general', kind: 'penalty', decidedOn: '2026-11-20', documentNumber: '演示市监罚〔2026〕7001号', title: '推送测试案',
      text: `当事人：王建国\n身份证号码：${id}\n联系电话：13857112345\n罚款人民币20000元。`, party: { name: '王建国', type: 'citizen', idNumber: id },
      penaltyKinds: ['罚款'], fineAmount: 20000, violation: '违规', content: '罚款20000元', basis: '依据', actorId: null,
    }));
    const head = { kind: 'user' as const, id: (await w.app.ctx.db.query<{ id: string }>(`SELECT id FROM users WHERE username = 'scjg_head'`)).rows[0]!.id, name: '局长', role: 'agency_head' as const, agencyId, jurisdiction: null, scopes: [] };
    await confirmAndPublish(w.app.ctx, null, head, d.id, { redactions: [] });

    // The receiver is down: the attempt fails and is scheduled again with backoff.
    expect(await fanOut(w.app.ctx)).toBe(1);
    expect(await sendDue(w.app.ctx, { backoffMs: 50, timeoutMs: 2000 })).toBe(0);
    expect(refused).toBe(1);
    let log = (await w.api.admin('GET', `/api/v1/webhook-subscribers/${subscriberId}/deliveries`)).json().items;
    expect(log[0]).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 503, lastError: 'HTTP 503' });
    expect(new Date(log[0].nextAt).getTime()).toBeGreaterThan(Date.now() - 1000);

    // A withdrawal while the receiver is still down queues a second message.
    const officer = { ...head, role: 'officer' as const };
    await recordRemedy(w.app.ctx, null, officer, d.id, { kind: 'reconsideration', outcome: 'revoked', decidedOn: '2026-11-24', body: '演示市人民政府', note: '' });

    // The platform restarts: a new dispatcher picks up the pending rows from the database; the receiver is back.
    up = true;
    const dispatcher = startWebhookDispatcher(w.app.ctx, { intervalMs: 20, backoffMs: 50 });
    for (let i = 0; i < 200 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    await dispatcher.stop();
    expect(received.length).toBe(2);

    const wh = new Webhook(secret);
    const topics = received.map((r) => (wh.verify(r.body, r.headers as Record<string, string>) as { type: string }).type);
    expect(topics.sort()).toEqual(['publicity.published', 'publicity.withdrawn']);
    // The same webhook-id as the failed attempt: receivers can de-duplicate.
    expect(received.map((r) => r.headers['webhook-id'])).toContain(log[0].msgId);
    // A tampered body fails verification.
    expect(() => wh.verify(received[0]!.body.replace('7001', '7002'), received[0]!.headers as Record<string, string>)).toThrow();
    for (const r of received) {
      expect(r.body).not.toContain(id);
      expect(r.body).not.toContain('13857112345');
      expect(r.body).not.toContain('王建国');
    }
    log = (await w.api.admin('GET', `/api/v1/webhook-subscribers/${subscriberId}/deliveries`)).json().items;
    expect(log.every((x: { status: string }) => x.status === 'delivered')).toBe(true);
    const subs = (await w.api.citySupervisor('GET', '/api/v1/webhook-subscribers')).json().items;
    expect(subs[0]).toMatchObject({ delivered: 2, pending: 0 });
    expect(subs[0].secret).toBeUndefined();
    expect((await w.api.otherOfficer('GET', `/api/v1/webhook-subscribers/${subscriberId}/deliveries`)).statusCode).toBe(404);
  });
});
