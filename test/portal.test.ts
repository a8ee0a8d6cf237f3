// The public portal and certificate verification (R-P02, R-P03, R-P08).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, login, as, type TestApp } from './helpers/app.ts';
import { loadDemo, DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/seed/demo.ts';

let app: TestApp;
let admin: ReturnType<typeof as>;
beforeAll(async () => {
  app = await startTestApp();
  await loadDemo(app.ctx);
  app.ctx.demo = true;
  admin = as(app, await login(app, 'admin', DEMO_PASSWORD, DEMO_TOTP_SECRET));
});
afterAll(() => app?.close());

const get = (url: string) => app.server.inject({ method: 'GET', url });

async function anOfficer(q = '') {
  return (await admin('GET', `/api/v1/officers?pageSize=1${q}`)).json().items[0] as { id: string; certificateNumber: string; name: string };
}

describe('portal pages', () => {
  it('home, directory and officer list render server-side with the demo banner', async () => {
    for (const url of ['/', '/agencies', '/officers']) {
      const r = await get(url);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('text/html');
      expect(r.body).toContain('演示环境');
      expect(r.body).not.toContain('<script');
    }
    expect((await get('/agencies')).body).toContain('演示市市场监督管理局');
  });

  it('officer search by name prefix and by certificate number prefix', async () => {
    const o = await anOfficer();
    const byName = (await get(`/api/v1/public/officers?q=${encodeURIComponent(o.name)}`)).json();
    expect(byName.items.map((x: { name: string }) => x.name)).toContain(o.name);
    const byCert = (await get(`/api/v1/public/officers?q=${encodeURIComponent(o.certificateNumber.slice(0, 10))}`)).json();
    expect(byCert.items.every((x: { certificateNumber: string }) => x.certificateNumber.startsWith(o.certificateNumber.slice(0, 10)))).toBe(true);
    expect(byCert.total).toBeGreaterThan(0);
    const page = await get(`/officers?q=${encodeURIComponent(o.name)}`);
    expect(page.body).toContain(o.certificateNumber);
  });

  it('escapes what users typed', async () => {
    const r = await get(`/officers?q=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
    expect(r.body).not.toContain('<img src=x');
    expect(r.body).toContain('&lt;img');
  });
});

describe('certificate QR and verification (R-P08)', () => {
  it('the QR carries the verify URL with a signature the page accepts; a forged one is flagged', async () => {
    const o = await anOfficer();
    const svg = await admin('GET', `/api/v1/officers/${o.id}/qr.svg`);
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    const png = await admin('GET', `/api/v1/officers/${o.id}/qr.png`);
    expect(png.rawPayload.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));

    const { certificateUrl } = await import('../src/registry/public.ts');
    const url = new URL(await certificateUrl(app.ctx, o.certificateNumber));
    expect(url.pathname).toBe(`/verify/officer/${encodeURIComponent(o.certificateNumber)}`);
    const genuine = await get(url.pathname + url.search);
    expect(genuine.body).toContain('证件有效');
    expect(genuine.body).toContain('二维码签名有效');
    const d = JSON.parse(Buffer.from(url.searchParams.get('d')!, 'base64url').toString());
    d.to = '2099-12-31';
    url.searchParams.set('d', Buffer.from(JSON.stringify(d)).toString('base64url'));
    const forged = await get(url.pathname + url.search);
    expect(forged.body).toContain('二维码签名无效');
  });

  it('a revoked, suspended or expired certificate is shown unmistakably', async () => {
    const o = await anOfficer('&status=valid');
    await admin('POST', `/api/v1/officers/${o.id}/status`, { status: 'suspended', reason: '测试' });
    expect((await get(`/verify/officer/${encodeURIComponent(o.certificateNumber)}`)).body).toMatch(/verdict suspended[\s\S]*证件已暂扣[\s\S]*不得/);
    await admin('POST', `/api/v1/officers/${o.id}/status`, { status: 'revoked', reason: '测试' });
    expect((await get(`/verify/officer/${encodeURIComponent(o.certificateNumber)}`)).body).toContain('证件已吊销');
    const expired = await anOfficer('&status=expired');
    expect((await get(`/verify/officer/${encodeURIComponent(expired.certificateNumber)}`)).body).toContain('证件已过期');
    const unknown = await get('/verify/officer/NOSUCHCERT');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('查无此证');
  });
});
