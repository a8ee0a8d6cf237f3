// DOCX drafts: every document exports as a Word file with the same wording as the PDF, marked 草稿.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { composeDocument } from './content.ts';
import { renderDocumentDocx } from './docx.ts';
import { sampleDocument } from './samples.ts';
import { DOCUMENT_TYPES } from './schema.ts';

/** The files of a ZIP archive, read from its central directory (no dependency needed for a test). */
function unzip(buf: Buffer): Map<string, string> {
  const files = new Map<string, string>();
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    files.set(name, (method === 8 ? zlib.inflateRawSync(raw) : raw).toString('utf8'));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

/** The text of a WordprocessingML part, runs joined. */
const text = (xml: string) => [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');

describe('DOCX drafts', () => {
  it('every document exports as a Word file with the composed wording', async () => {
    for (const type of DOCUMENT_TYPES) {
      const input = sampleDocument(type);
      const docx = await renderDocumentDocx(input);
      expect(docx.subarray(0, 2).toString('latin1'), type).toBe('PK');
      const files = unzip(docx);
      const body = text(files.get('word/document.xml')!);
      const composed = composeDocument(input);
      for (const line of composed.headingLines) expect(body, type).toContain(line);
      // Every paragraph of the PDF is in the draft, word for word.
      for (const b of composed.blocks) if (b.kind === 'para') expect(body, type).toContain(b.text);
      expect(files.get('docProps/core.xml'), type).toContain(`<dc:title>${composed.title}</dc:title>`);
      const header = [...files.entries()].filter(([n]) => n.startsWith('word/header')).map(([, x]) => text(x)).join('');
      expect(header, type).toContain('草稿');
    }
  });

  it('a penalty decision draft states reasons, remedies and the bodies that hear them', async () => {
    const body = text(unzip(await renderDocumentDocx(sampleDocument('penalty_decision'))).get('word/document.xml')!);
    expect(body).toContain('西湖市监处罚〔2026〕12号');
    expect(body).toContain('本机关认为：');
    expect(body).toContain('六十日内向杭州市西湖区人民政府申请行政复议，也可以在六个月内依法向杭州市西湖区人民法院提起行政诉讼');
    expect(body).toContain('二〇二六年十一月二十三日');
  });

  it('names the government fonts for editing (仿宋_GB2312 body, 方正小标宋简体 titles)', async () => {
    const xml = unzip(await renderDocumentDocx(sampleDocument('prior_notice'))).get('word/document.xml')!;
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    expect(xml).toContain('w:eastAsia="方正小标宋简体"');
  });
});
