// Issue 16 (R-R02): the document template registry — order of precedence (the agency's adaptation,
// else the State Council department's system-wide set for the area, else the 司法部 basic formats),
// versions with their source, a case keeping the version it used; and the archive package carrying
// each document's electronic format (its fields as data with the JSON Schema of its type).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCaseDemo } from '../src/cases/demo.ts';
import { startSequencer } from '../src/ledger/sequencer.ts';
import { todayInShanghai } from '../src/platform/validation.ts';
import { caseInfo, caseWorld, docs, expectProblem, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
let agencyId: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-tpl-'));

beforeAll(async () => {
  w = await caseWorld();
  agencyId = w.ids.get('city_scjg')!;
  // The case demo: every procedure's documents written as forms, some cases archived.
  await loadCaseDemo(w.app.ctx, w.ids);
}, 600_000);
afterAll(async () => {
  await w?.app.close();
  fs.rmSync(w.app.ctx.config.dataDir, { recursive: true, force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
});

type Pin = { tier: string; set: string; version: number; source: string; adaptationId?: string };

async function draftIn(caseId: string, type = 'penalty_decision'): Promise<Pin> {
  const r = await w.api.officer('POST', `/api/v1/cases/${caseId}/documents`, { type, fields: {} });
  expect(r.statusCode, r.body).toBe(201);
  return (r.json() as { template: Pin }).template;
}

async function newCase(): Promise<string> {
  const r = await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title: '涉嫌经营超过保质期的食品案', matter: MATTER, party: PARTY });
  expect(r.statusCode, r.body).toBe(201);
  return (r.json() as { id: string }).id;
}

describe('document template registry', () => {
  it('applies the ministry set where one exists, else the 司法部 basic formats; an adaptation is a new version; a case keeps its version', async () => {
    const list = await w.api.officer('GET', `/api/v1/document-templates?agencyId=${agencyId}&category=${encodeURIComponent(MATTER.category)}`);
    expect(list.statusCode, list.body).toBe(200);
    const items = (list.json() as { items: { type: string; inForce: Pin; onSite: boolean }[] }).items;
    const of = (t: string) => items.find((i) => i.type === t)!;
    expect(of('penalty_decision').inForce).toMatchObject({ tier: 'ministry', set: 'samr-penalty', version: 1 });
    expect(of('penalty_decision').inForce.source).toContain('市场监督管理行政处罚文书格式范本');
    expect(of('licence_decision').inForce).toMatchObject({ tier: 'moj', set: 'moj-basic' });
    expect(of('onsite_penalty_decision').onSite).toBe(true);
    // Another area has no system-wide set: the 司法部 basic formats.
    const other = (await w.api.officer('GET', `/api/v1/document-templates/penalty_decision?agencyId=${agencyId}&category=${encodeURIComponent('生态环境')}`)).json() as { inForce: Pin };
    expect(other.inForce).toMatchObject({ tier: 'moj', set: 'moj-basic' });

    const caseA = await newCase();
    expect(await draftIn(caseA)).toMatchObject({ tier: 'ministry', set: 'samr-penalty', version: 1 });

    // Only the agency's administrator adapts a format.
    const body = { agencyId, type: 'penalty_decision', category: MATTER.category, effectiveFrom: todayInShanghai(), source: '演示市市场监督管理局关于细化行政处罚文书格式的通知', localText: '缴款可使用“浙里办”扫码缴纳。' };
    expectProblem(await w.api.officer('POST', '/api/v1/document-templates', body), 403);
    const v1 = await w.api.admin('POST', '/api/v1/document-templates', body);
    expect(v1.statusCode, v1.body).toBe(201);
    expect(v1.json()).toMatchObject({ version: 1, basedOn: 'samr-penalty@1' });
    const v2 = await w.api.admin('POST', '/api/v1/document-templates', { ...body, source: '第二次细化' });
    expect(v2.json()).toMatchObject({ version: 2 });
    const read = (await w.api.officer('GET', `/api/v1/document-templates/penalty_decision?agencyId=${agencyId}&category=${encodeURIComponent(MATTER.category)}`)).json() as { inForce: Pin; adaptations: { version: number }[]; precedence: { tier: string }[] };
    expect(read.inForce).toMatchObject({ tier: 'agency', version: 2, source: '第二次细化' });
    expect(read.adaptations.map((a) => a.version)).toEqual([2, 1]);
    expect(read.precedence.map((p) => p.tier)).toEqual(['agency', 'ministry', 'moj']);

    // The case that started under the ministry set keeps it; a new case takes the adaptation in force.
    expect(await draftIn(caseA)).toMatchObject({ tier: 'ministry', set: 'samr-penalty', version: 1 });
    expect(await draftIn(await newCase())).toMatchObject({ tier: 'agency', version: 2 });

    expectProblem(await w.api.admin('POST', '/api/v1/document-templates', { ...body, type: 'no_such_document' }), 400);
    expectProblem(await w.api.officer('GET', `/api/v1/document-templates/no_such_document?agencyId=${agencyId}`), 404);
  });

  it('R-R11: prints an adaptation\'s local text in the PDF and DOCX of a document made under it, and not under the base template', async () => {
    const type = 'inquiry_record';
    const localText = '本局询问室配备同步录音录像设备，询问全程录音录像。';
    const finalPdfText = async (caseId: string, pinned: Partial<Pin>) => {
      const view = (await w.api.officer('GET', `/api/v1/cases/${caseId}`)).json() as { number: string; title: string };
      const d = (await w.api.officer('POST', `/api/v1/cases/${caseId}/documents`, { type, fields: docs([type], todayInShanghai(), caseInfo(view, w.officers))[0]!.fields })).json() as { id: string; template: Pin };
      expect(d.template).toMatchObject(pinned);
      const docx = await w.api.officer('GET', `/api/v1/cases/${caseId}/documents/${d.id}/docx`);
      expect(docx.statusCode, docx.body.slice(0, 300)).toBe(200);
      const docxFile = path.join(tmp, `${d.id}.docx`);
      fs.writeFileSync(docxFile, docx.rawPayload);
      const docxText = execFileSync('unzip', ['-p', docxFile, 'word/document.xml'], { encoding: 'utf8' }).replace(/<[^>]+>/g, '');
      const fin = await w.api.officer('POST', `/api/v1/cases/${caseId}/documents/${d.id}/finalise`, { issuedOn: todayInShanghai() });
      expect(fin.statusCode, fin.body).toBe(200);
      const pdf = await w.api.officer('GET', `/api/v1/cases/${caseId}/documents/${d.id}/pdf`);
      expect(pdf.statusCode).toBe(200);
      const file = path.join(tmp, `${d.id}.pdf`);
      fs.writeFileSync(file, pdf.rawPayload);
      return { pdf: execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ''), docx: docxText.replace(/\s+/g, '') };
    };
    // Made under the base template before the agency adapts the format: no local text.
    const base = await finalPdfText(await newCase(), { tier: 'ministry', set: 'samr-penalty' });
    expect(base.pdf).toContain('询问笔录');
    expect(base.pdf).not.toContain('本机关补充说明');
    expect(base.docx).not.toContain(localText);
    const a = await w.api.admin('POST', '/api/v1/document-templates', { agencyId, type, effectiveFrom: todayInShanghai(), source: '演示市市场监督管理局询问笔录格式细化', localText });
    expect(a.statusCode, a.body).toBe(201);
    const adapted = await finalPdfText(await newCase(), { tier: 'agency', adaptationId: (a.json() as { id: string }).id });
    expect(adapted.pdf).toContain('本机关补充说明');
    expect(adapted.pdf).toContain(localText);
    expect(adapted.docx).toContain(localText);
  });

  it('exports each document of an archived case with its fields as data and the JSON Schema of its type', async () => {
    const { rows } = await w.app.ctx.db.query<{ id: string }>(`SELECT c.id FROM cases c WHERE c.archived_at IS NOT NULL ORDER BY (SELECT count(*) FROM case_documents d WHERE d.case_id = c.id) DESC, c.number LIMIT 1`);
    const caseId = rows[0]!.id;
    const seq = startSequencer(w.app.ctx, { intervalMs: 20 });
    await seq.flush(30_000);
    await seq.stop();
    const r = await w.api.system('GET', `/api/v1/cases/${caseId}/archive-package?reason=${encodeURIComponent('移交档案室')}`);
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    const tar = path.join(tmp, 'case.tar');
    fs.writeFileSync(tar, r.rawPayload);
    const dir = path.join(tmp, 'x');
    fs.mkdirSync(dir);
    execFileSync('tar', ['-xf', tar, '-C', dir]);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { files: { path: string; kind: string }[]; formats: { path: string; kind: string; document?: string }[] };
    const pdfs = manifest.files.filter((f) => f.kind === 'document');
    expect(pdfs.length).toBeGreaterThan(3);
    for (const f of pdfs) {
      const data = manifest.formats.find((x) => x.document === f.path)!;
      expect(data, f.path).toBeDefined();
      const doc = JSON.parse(fs.readFileSync(path.join(dir, data.path), 'utf8')) as { type: string; fields: Record<string, unknown>; schema: string; contentSha256: string };
      expect(doc.contentSha256).toMatch(/^[0-9a-f]{64}$/);
      const schema = JSON.parse(fs.readFileSync(path.join(dir, doc.schema), 'utf8')) as { type: string; properties: Record<string, unknown>; required: string[] };
      expect(schema.type).toBe('object');
      // The data is what the schema describes: every required field is there.
      for (const k of schema.required) expect(doc.fields, `${doc.type}.${k}`).toHaveProperty(k);
    }
    // The package still verifies offline, formats included.
    const { logIdentity } = await import('../src/ledger/service.ts');
    const ok = spawnSync(process.execPath, [path.join(dir, 'verify.mjs'), tar, '--key', (await logIdentity(w.app.ctx)).verifierKey], { encoding: 'utf8' });
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
  });
});
