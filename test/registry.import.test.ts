// Imports the way a justice bureau holds its registers: all rows valid, or nothing imported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { startTestApp, login, type TestApp, type Session } from './helpers/app.ts';
import { loadDemo, DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/seed/demo.ts';

let app: TestApp;
let admin: Session;
let scjgCode: string;

beforeAll(async () => {
  app = await startTestApp({ IMPORT_MAX_BYTES: String(200 * 1024) });
  const ids = await loadDemo(app.ctx);
  admin = await login(app, 'admin', DEMO_PASSWORD, DEMO_TOTP_SECRET);
  scjgCode = (await app.ctx.db.query<{ credit_code: string }>(`SELECT credit_code FROM agencies WHERE id = $1`, [ids.get('city_scjg')])).rows[0]!.credit_code;
});
afterAll(() => app?.close());

const HEADER = '姓名,性别,身份证号,执法证号,所属机关统一社会信用代码,发证类型,备案号,执法类别,执法区域,有效期起,有效期止,资格取得方式,考试合格日期';

function multipart(filename: string, content: Buffer, contentType = 'application/octet-stream') {
  const boundary = '----sanxiang' + Math.random().toString(16).slice(2);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: admin.cookie, 'x-csrf-token': admin.csrf } };
}

const upload = (filename: string, content: Buffer) => app.server.inject({ method: 'POST', url: '/api/v1/imports/officers', ...multipart(filename, content) });
const countOfficers = async () => (await app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM officers`)).rows[0]!.n;

describe('officer import', () => {
  it('imports a valid CSV', async () => {
    const before = await countOfficers();
    const csv = `${HEADER}\n导入甲,男,,IMP0000001,${scjgCode},省级人民政府,,市场监管,演示市,2025-01-01,2030-12-31,考试合格,2024-11-01\n导入乙,女,,IMP0000002,${scjgCode},省级人民政府,,市场监管,演示市,2025-01-01,2030-12-31,法律职业资格免考,\n`;
    const r = await upload('officers.csv', Buffer.from(csv));
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ imported: 2 });
    expect(await countOfficers()).toBe(before + 2);
  });

  it('reports every bad row with its line and imports nothing', async () => {
    const before = await countOfficers();
    const csv = [
      HEADER,
      `好行,男,,IMP0000010,${scjgCode},省级人民政府,,市场监管,演示市,2025-01-01,2030-12-31,考试合格,2024-11-01`,
      `坏日期,男,,IMP0000011,${scjgCode},省级人民政府,,市场监管,演示市,2025-13-01,2030-12-31,考试合格,2024-11-01`,
      `重复证号,男,,IMP0000010,${scjgCode},省级人民政府,,市场监管,演示市,2025-01-01,2030-12-31,考试合格,2024-11-01`,
      `无此机关,男,,IMP0000012,91330100MA00000000,省级人民政府,,市场监管,演示市,2025-01-01,2030-12-31,考试合格,2024-11-01`,
      `已登记,男,,IMP0000001,${scjgCode},省级人民政府,,市场监管,演示市,2025-01-01,2030-12-31,考试合格,2024-11-01`,
      `坏性别,未知,,IMP0000013,${scjgCode},省级人民政府,,市场监管,演示市,2025-01-01,2030-12-31,考试合格,2024-11-01`,
    ].join('\n');
    const r = await upload('officers.csv', Buffer.from(csv));
    expect(r.statusCode).toBe(422);
    const errors: { field: string; message: string }[] = r.json().errors;
    expect(r.json().detail).toContain('未导入任何数据');
    const lines = [...new Set(errors.map((e) => Number(/第(\d+)行/.exec(e.field)![1])))].sort((a, b) => a - b);
    expect(lines).toEqual([3, 4, 5, 6, 7]);
    expect(errors.find((e) => e.field.startsWith('第4行'))!.message).toContain('第2行');
    expect(await countOfficers()).toBe(before);
  });

  it('reads GB18030-encoded CSV as saved by Chinese Excel', async () => {
    const csv = `${HEADER}\n国标甲,男,,IMP0000020,${scjgCode},省级人民政府,,市场监管,演示市,2025-01-01,2030-12-31,考试合格,2024-11-01\n`;
    const gbk = encodeGb18030(csv);
    expect(gbk.equals(Buffer.from(csv))).toBe(false);
    const r = await upload('officers.csv', gbk);
    expect(r.statusCode).toBe(200);
    const { rows } = await app.ctx.db.query<{ name: string }>(`SELECT name FROM officers WHERE certificate_number = 'IMP0000020'`);
    expect(rows[0]!.name).toBe('国标甲');
  });

  it('imports an XLSX file with date cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('人员');
    ws.addRow(HEADER.split(','));
    ws.addRow(['表格甲', '女', '', 'IMP0000030', scjgCode, '省级人民政府', '', '市场监管', '演示市', new Date(Date.UTC(2025, 0, 1)), new Date(Date.UTC(2030, 11, 31)), '考试合格', '2024-11-01']);
    const r = await upload('officers.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(r.statusCode).toBe(200);
    const { rows } = await app.ctx.db.query<{ valid_from: string }>(`SELECT valid_from FROM officers WHERE certificate_number = 'IMP0000030'`);
    expect(rows[0]!.valid_from).toBe('2025-01-01');
  });

  it('refuses a file with missing columns, a corrupt XLSX, another file type, and an oversized file', async () => {
    const missing = await upload('officers.csv', Buffer.from('姓名,执法证号\n张三,1\n'));
    expect(missing.statusCode).toBe(422);
    expect(missing.json().detail).toContain('缺少列');
    const corrupt = await upload('officers.xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 1)]));
    expect(corrupt.statusCode).toBe(400);
    const pdf = await upload('officers.pdf', Buffer.from('%PDF-1.4'));
    expect(pdf.statusCode).toBe(415);
    const big = await upload('officers.csv', Buffer.alloc(300 * 1024, 0x41));
    expect(big.statusCode).toBe(413);
  });

  it('refuses a JSON body where a file is expected', async () => {
    const r = await app.server.inject({ method: 'POST', url: '/api/v1/imports/officers', payload: { rows: [] }, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } });
    expect(r.statusCode).toBe(415);
  });
});

/** Node can decode GB18030 but not encode it: find each needed character's two-byte code by decoding the GBK range. */
function encodeGb18030(text: string): Buffer {
  const decoder = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  // Search the two-byte GBK range for each needed character (small: only the characters in `text`).
  const needed = new Set([...text].filter((c) => c.charCodeAt(0) > 0x7f));
  for (let hi = 0x81; hi <= 0xfe && table.size < needed.size; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      const ch = decoder.decode(Uint8Array.of(hi, lo));
      if (needed.has(ch) && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  }
  return Buffer.from([...text].flatMap((c) => table.get(c) ?? [...Buffer.from(c)]));
}
