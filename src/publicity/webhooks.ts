// Webhooks to subscribing systems (R-P17 "real-time push", R-I02): publications, withdrawals and
// expiries leave through the outbox as Standard Webhooks (signed, timestamped, one webhook-id per
// message for idempotent receivers). Delivery state lives in the database, so a restart of the platform
// or an outage of the receiver loses nothing: a failed attempt is retried with exponential backoff.
// The payload is the public projection (public.ts), never the draft or its source.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Webhook } from 'standardwebhooks';
import type { Actor } from '../platform/actor.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError, forbidden, notFound } from '../platform/errors.ts';
import { scopeSql } from '../registry/policy.ts';
import { canReadPublications, readScope } from './policy.ts';
import { publicDetail } from './public.ts';
import * as repo from './store.ts';
import { checkTarget, networkPolicy, postPinned } from './ssrf.ts';

export const WEBHOOK_TOPICS = ['publicity.published', 'publicity.withdrawn', 'publicity.expired'] as const;
export const MAX_ATTEMPTS = 10;

export async function createSubscriber(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: { agencyId: string; url: string }) {
  const agency = await repo.agency(ctx.db, input.agencyId);
  if (!agency || !canReadPublications(actor, agency)) throw notFound('执法机关');
  if (!(actor.kind === 'user' && actor.role === 'agency_admin' && actor.agencyId === agency.id)) {
    await audit(ctx.db, req, { action: 'publicity.webhook', outcome: 'denied', ...actorAudit(actor), detail: { agencyId: input.agencyId } });
    throw forbidden('订阅由本机关管理员登记');
  }
  // SSRF guard: every address the host resolves to must be outside the platform's own networks.
  await checkTarget(input.url, networkPolicy(ctx.config.webhookAllowedNetworks));
  const id = crypto.randomUUID();
  const secret = `whsec_${crypto.randomBytes(24).toString('base64')}`;
  await ctx.db.query(`INSERT INTO webhook_subscribers (id, agency_id, url, secret, created_by) VALUES ($1, $2, $3, $4, $5)`, [id, input.agencyId, input.url, secret, actor.id]);
  await audit(ctx.db, req, { action: 'publicity.webhook', outcome: 'success', ...actorAudit(actor), detail: { id, agencyId: input.agencyId, url: input.url } });
  return { id, url: input.url, secret };
}

export async function listSubscribers(ctx: AppContext, actor: Actor) {
  if (actor.kind === 'token' && !actor.scopes.includes('cases:read')) throw forbidden('令牌缺少 cases:read 权限');
  const params: unknown[] = [];
  const { rows } = await ctx.db.query<{ id: string; agency_id: string; agency_name: string; url: string; active: boolean; created_at: Date; pending: number; delivered: number; failed: number }>(
    `SELECT s.id, s.agency_id, a.name AS agency_name, s.url, s.active, s.created_at,
            count(d.*) FILTER (WHERE d.status = 'pending')::int AS pending, count(d.*) FILTER (WHERE d.status = 'delivered')::int AS delivered, count(d.*) FILTER (WHERE d.status = 'failed')::int AS failed
       FROM webhook_subscribers s JOIN agencies a ON a.id = s.agency_id LEFT JOIN webhook_deliveries d ON d.subscriber_id = s.id
      WHERE ${scopeSql(readScope(actor), 'a', params)} GROUP BY s.id, a.name ORDER BY s.created_at`,
    params,
  );
  return { items: rows.map((r) => ({ id: r.id, agencyId: r.agency_id, agencyName: r.agency_name, url: r.url, active: r.active, createdAt: r.created_at, pending: r.pending, delivered: r.delivered, failed: r.failed })) };
}

export async function deliveryLog(ctx: AppContext, actor: Actor, subscriberId: string) {
  const { rows: s } = await ctx.db.query<{ agency_id: string; region_code: string }>(`SELECT s.agency_id, a.region_code FROM webhook_subscribers s JOIN agencies a ON a.id = s.agency_id WHERE s.id = $1`, [subscriberId]);
  if (!s[0] || !canReadPublications(actor, { id: s[0].agency_id, region_code: s[0].region_code })) throw notFound('订阅');
  const { rows } = await ctx.db.query<{ id: string; msg_id: string; topic: string; publication_id: string; status: string; attempts: number; next_at: Date; last_status: number | null; last_error: string | null; delivered_at: Date | null; created_at: Date }>(
    `SELECT * FROM webhook_deliveries WHERE subscriber_id = $1 ORDER BY created_at DESC LIMIT 200`, [subscriberId],
  );
  return { items: rows.map((r) => ({ id: r.id, msgId: r.msg_id, topic: r.topic, publicationId: r.publication_id, status: r.status, attempts: r.attempts, nextAt: r.next_at, lastStatus: r.last_status, lastError: r.last_error, deliveredAt: r.delivered_at, createdAt: r.created_at })) };
}

/** Makes the delivery rows for outbox messages not yet fanned out to each active subscriber of their agency. */
export async function fanOut(ctx: AppContext, batch = 500): Promise<number> {
  const { rows } = await ctx.db.query<{ outbox_id: number; topic: string; publication_id: string; subscriber_id: string }>(
    `SELECT o.id AS outbox_id, o.topic, o.payload->>'publicationId' AS publication_id, s.id AS subscriber_id
       FROM outbox o JOIN publications p ON p.id = (o.payload->>'publicationId')::uuid
       JOIN webhook_subscribers s ON s.agency_id = p.agency_id AND s.active AND o.created_at >= s.created_at
      WHERE o.topic = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.subscriber_id = s.id AND d.outbox_id = o.id)
      ORDER BY o.id LIMIT $2`,
    [[...WEBHOOK_TOPICS], batch],
  );
  for (const r of rows) {
    await ctx.db.query(
      `INSERT INTO webhook_deliveries (id, subscriber_id, outbox_id, msg_id, topic, publication_id, status) VALUES ($1, $2, $3, $4, $5, $6, 'pending') ON CONFLICT DO NOTHING`,
      [crypto.randomUUID(), r.subscriber_id, r.outbox_id, `msg_${r.subscriber_id.slice(0, 8)}_${r.outbox_id}`, r.topic, r.publication_id],
    );
  }
  return rows.length;
}

export interface DispatchOptions {
  /** First retry after this; doubled each attempt, at most an hour. */
  backoffMs: number;
  timeoutMs: number;
}
const DEFAULTS: DispatchOptions = { backoffMs: 10_000, timeoutMs: 10_000 };

/** Sends what is due, one attempt each; answers how many were delivered. */
export async function sendDue(ctx: AppContext, opts: DispatchOptions = DEFAULTS, batch = 50): Promise<number> {
  const { rows } = await ctx.db.query<{ id: string; msg_id: string; topic: string; publication_id: string; attempts: number; url: string; secret: string }>(
    `SELECT d.id, d.msg_id, d.topic, d.publication_id, d.attempts, s.url, s.secret FROM webhook_deliveries d JOIN webhook_subscribers s ON s.id = d.subscriber_id
      WHERE d.status = 'pending' AND d.next_at <= clock_timestamp() ORDER BY d.next_at LIMIT $1`,
    [batch],
  );
  let delivered = 0;
  for (const d of rows) {
    const row = await repo.get(ctx.db, d.publication_id);
    const data = row && (row.status === 'published' || row.status === 'withdrawn') ? publicDetail(ctx, row) : { id: d.publication_id, status: row?.status ?? 'expired' };
    const now = new Date();
    const body = JSON.stringify({ type: d.topic, timestamp: now.toISOString(), data });
    const signature = new Webhook(d.secret).sign(d.msg_id, now, body);
    let status: number | null = null;
    let error: string | null = null;
    try {
      // Checked again at each delivery (the name may resolve elsewhere now), and the connection pinned to the checked address.
      const target = await checkTarget(d.url, networkPolicy(ctx.config.webhookAllowedNetworks));
      status = await postPinned(target, body, { 'content-type': 'application/json', 'webhook-id': d.msg_id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signature }, opts.timeoutMs);
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (err) {
      error = (err instanceof AppError ? err.detail : (err as Error).message).slice(0, 300);
    }
    const attempts = d.attempts + 1;
    if (!error) {
      delivered++;
      await ctx.db.query(`UPDATE webhook_deliveries SET status = 'delivered', attempts = $2, last_status = $3, last_error = NULL, delivered_at = clock_timestamp() WHERE id = $1`, [d.id, attempts, status]);
    } else {
      const wait = Math.min(opts.backoffMs * 2 ** (attempts - 1), 3_600_000);
      await ctx.db.query(
        `UPDATE webhook_deliveries SET status = $2, attempts = $3, last_status = $4, last_error = $5, next_at = clock_timestamp() + make_interval(secs => $6::double precision / 1000) WHERE id = $1`,
        [d.id, attempts >= MAX_ATTEMPTS ? 'failed' : 'pending', attempts, status, error, wait],
      );
    }
  }
  return delivered;
}

export function startWebhookDispatcher(ctx: AppContext, opts: Partial<DispatchOptions> & { intervalMs?: number } = {}) {
  const o = { ...DEFAULTS, ...opts };
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      try {
        await fanOut(ctx);
        await sendDue(ctx, o);
      } catch (err) {
        ctx.log.warn({ err }, 'webhook dispatch failed');
      }
    })();
    void running.then(() => {
      if (!stopped) timer = setTimeout(tick, opts.intervalMs ?? 2_000);
    });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

export function checkWebhookUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AppError('validation', { detail: '地址不合法', errors: [{ field: 'url', message: '应为 http(s) 地址' }] });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new AppError('validation', { detail: '地址不合法', errors: [{ field: 'url', message: '应为 http(s) 地址' }] });
  return u.toString();
}
