// 任务分解推进表 (R-S01): the XLSX import (whole file or nothing, every bad row named; merged cells carry
// the row above), assignment to agencies, progress reports, overdue rows, scoping.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWorld, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
beforeAll(async () => {
  w = await caseWorld();
});
afterAll(async () => {
  await w?.app.close();
});

async function xlsx(rows: string[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('推进表');
  ws.addRow(['主要任务', '任务分解', '工作要求', '责任单位', '完成时限']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

describe('任务分解推进表 (R-S01)', () => {
  let ids: string[] = [];
  it('refuses the whole file when a row is bad, naming it; imports the fixed file with merged cells carried', async () => {
    const bad = await w.api.citySupervisor('POST', '/api/v1/supervision/tasks/import', { sourceDoc: '演示推进表', filename: 't.xlsx', contentBase64: await xlsx([
      ['全面推行行政执法公示制度', '1.制定公示办法', '明确公示内容', '市司法局', '2026年8月'],
      ['', '2.公开执法决定', '接受社会监督', '市、县行政执法机关', '下个月'],
    ]) });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].message).toContain('第 3 行');
    expect((await w.api.citySupervisor('GET', '/api/v1/supervision/tasks')).json().total).toBe(0);
    const ok = await w.api.citySupervisor('POST', '/api/v1/supervision/tasks/import', { sourceDoc: '演示推进表', filename: 't.xlsx', contentBase64: await xlsx([
      ['全面推行行政执法公示制度', '1.制定公示办法', '明确公示内容', '市司法局', '2026年8月'],
      ['', '2.公开执法决定', '接受社会监督', '市、县行政执法机关', '长期执行'],
      ['', '3.编制音像记录事项清单', '明确记录事项', '', '2026年12月'],
    ]) });
    expect(ok.statusCode, ok.body).toBe(201);
    ids = ok.json().ids;
    const list = (await w.api.citySupervisor('GET', '/api/v1/supervision/tasks')).json();
    expect(list.items.map((t: { mainTask: string }) => t.mainTask)).toEqual(['全面推行行政执法公示制度', '全面推行行政执法公示制度', '全面推行行政执法公示制度']);
    expect(list.items[2].responsible).toBe('市、县行政执法机关');
    expect(list.items.map((t: { deadline: string | null }) => t.deadline)).toEqual(['2026-08-31', null, '2026-12-31']);
    expect(list.items.map((t: { overdue: boolean }) => t.overdue)).toEqual([true, false, false]);
    expect((await w.api.officer('POST', '/api/v1/supervision/tasks/import', { sourceDoc: 'x', filename: 't.xlsx', contentBase64: 'AAAA' })).statusCode).toBe(403);
  });

  it('assigns rows to agencies, which report progress; the 西湖区 supervisor sees none of the city’s', async () => {
    const a = await w.api.citySupervisor('POST', `/api/v1/supervision/tasks/${ids[1]}/assignment`, { agencyIds: [w.ids.get('city_scjg')] });
    expect(a.statusCode, a.body).toBe(200);
    expect((await w.api.officer('POST', `/api/v1/supervision/tasks/${ids[1]}/reports`, { text: '进展', done: false })).statusCode).toBe(403);
    expect((await w.api.head('POST', `/api/v1/supervision/tasks/${ids[0]}/reports`, { text: '进展', done: false })).statusCode).toBe(404);
    const r = await w.api.head('POST', `/api/v1/supervision/tasks/${ids[1]}/reports`, { text: '已在门户公开全部处罚决定。', done: true });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ status: 'done', reports: 1, lastReport: '已在门户公开全部处罚决定。' });
    expect((await w.api.head('GET', '/api/v1/supervision/tasks')).json().items.map((t: { id: string }) => t.id)).toEqual([ids[1]]);
    expect((await w.api.countySupervisor('GET', '/api/v1/supervision/tasks')).json().total).toBe(0);
    expect((await w.api.countySupervisor('POST', `/api/v1/supervision/tasks/${ids[0]}/assignment`, { agencyIds: [w.ids.get('xh_zhzf')] })).statusCode).toBe(404);
  });
});
