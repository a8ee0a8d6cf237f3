// R-R02, R-R09, R-R11 (issue 16): every document type of every built-in procedure is a structured form.
// Each is walked through the API: its form answers structured, an empty draft is refused at
// finalisation with field errors, the filled draft becomes a final PDF whose Chinese title pdftotext
// reads and whose first page, rasterised by pdftoppm, is not blank; the DOCX is produced too.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDefinitions } from '../src/cases/procedures/index.ts';
import { demoDocumentFields } from '../src/cases/demo-content.ts';
import { caseInfo, caseWorld, expectProblem, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';

const ON = '2026-07-01';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-walk-'));
let w: CaseWorld;

beforeAll(async () => {
  w = await caseWorld();
});
afterAll(async () => {
  await w?.app.close();
  fs.rmSync(w.app.ctx.config.dataDir, { recursive: true, force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
});

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.error?.message ?? r.stderr}`);
  return r.stdout;
}

/** Share of dark pixels on page 1 at 30 dpi (binary PGM from pdftoppm -gray). */
function inked(file: string): number {
  const out = `${file}.page`;
  run('pdftoppm', ['-r', '30', '-gray', '-f', '1', '-l', '1', '-singlefile', file, out]);
  const pgm = fs.readFileSync(`${out}.pgm`);
  const h = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'))!;
  const data = pgm.subarray(h[0].length);
  let dark = 0;
  for (const b of data) if (b < 128) dark++;
  return dark / data.length;
}

const produced = (def: ReturnType<typeof listDefinitions>[number]) => [...new Set(def.steps.flatMap((s) => s.produces.map((p) => p.document)))];

describe('every document of every built-in procedure', () => {
  it('is a structured form, refused when empty, and renders to a final PDF with drawn Chinese text and a DOCX', async () => {
    const seen = new Set<string>();
    for (const def of listDefinitions()) {
      const c = await w.api.officer('POST', '/api/v1/cases', { procedureId: def.id, title: '涉嫌经营超过保质期的食品案', matter: MATTER, party: PARTY });
      expect(c.statusCode, `${def.id}: ${c.body}`).toBe(201);
      const { id: caseId, number } = c.json() as { id: string; number: string };
      const info = caseInfo({ number, title: '涉嫌经营超过保质期的食品案' }, w.officers.slice(0, 2), { fineAmount: 200, penaltyKind: 'fine' });
      for (const type of produced(def)) {
        seen.add(type);
        const form = (await w.api.officer('GET', `/api/v1/document-forms/${type}`)).json() as { structured: boolean; title: string; schema: { type: string; required?: string[] } };
        // No document stays free text (R-R02).
        expect(form.structured, type).toBe(true);
        expect(form.schema.required ?? [], type).not.toContain('body');
        // Draft → validation error at finalisation.
        const draft = await w.api.officer('POST', `/api/v1/cases/${caseId}/documents`, { type, fields: {} });
        expect(draft.statusCode, `${type}: ${draft.body}`).toBe(201);
        const docId = (draft.json() as { id: string }).id;
        const refused = expectProblem(await w.api.officer('POST', `/api/v1/cases/${caseId}/documents/${docId}/finalise`, { issuedOn: ON }), 400) as unknown as { errors: { field: string }[] };
        expect(refused.errors.length, type).toBeGreaterThan(0);
        // Filled → final PDF.
        const patched = await w.api.officer('PATCH', `/api/v1/cases/${caseId}/documents/${docId}`, { fields: demoDocumentFields(type, ON, info, def.documents) });
        expect(patched.statusCode, `${type}: ${patched.body}`).toBe(200);
        const fin = await w.api.officer('POST', `/api/v1/cases/${caseId}/documents/${docId}/finalise`, { issuedOn: ON });
        expect(fin.statusCode, `${type}: ${fin.body}`).toBe(200);
        const docx = await w.api.officer('GET', `/api/v1/cases/${caseId}/documents/${docId}/docx`);
        expect(docx.statusCode, `${type} docx: ${docx.body.slice(0, 300)}`).toBe(200);
        expect(docx.rawPayload.subarray(0, 2).toString('latin1'), type).toBe('PK');
        const pdf = await w.api.officer('GET', `/api/v1/cases/${caseId}/documents/${docId}/pdf`);
        expect(pdf.statusCode, type).toBe(200);
        const file = path.join(tmp, `${def.id}-${type}.pdf`);
        fs.writeFileSync(file, pdf.rawPayload);
        const text = run('pdftotext', [file, '-']).replace(/\s+/g, '');
        expect(text, type).toContain(form.title.replace(/\s+/g, ''));
        expect(inked(file), type).toBeGreaterThan(0.002);
      }
    }
    // 59 types come out of the built-in procedures (issue 16).
    expect(seen.size).toBeGreaterThanOrEqual(59);
  }, 600_000);
});
