// The published 统计年报 as charts (Apache ECharts rendered to SVG on the server, so the page works
// without JavaScript and on a phone), as XLSX (same dotted figure keys as the API) and as PDF.
import PDFDocument from 'pdfkit';
import { PENALTY_KINDS } from '../cases/documents/index.ts';
import { fontSubset } from '../cases/documents/fonts.ts';
import { flatten, FIGURE_LABELS, type Figures } from './figures.ts';

const loadEcharts = () => import('echarts');
const loadExcel = () => import('exceljs').then((m) => m.default);

async function svgChart(option: Record<string, unknown>, width: number, height: number): Promise<string> {
  const echarts = await loadEcharts();
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, textStyle: { fontFamily: 'sans-serif' }, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

/** Two charts: penalties by 第九条 kind (bar) and the main counts by action kind (bar). */
export async function charts(f: Figures): Promise<{ penalties: string; actions: string }> {
  const kinds = PENALTY_KINDS.filter((k) => f.penalties.byKind[k]! > 0);
  const penalties = await svgChart({
    title: { text: '行政处罚（按种类，宗）', left: 'center', textStyle: { fontSize: 14 } },
    grid: { left: 110, right: 30, top: 40, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: kinds.length ? kinds : ['无'], axisLabel: { fontSize: 11, interval: 0 } },
    series: [{ type: 'bar', data: kinds.length ? kinds.map((k) => f.penalties.byKind[k]) : [0], label: { show: true, position: 'right' }, itemStyle: { color: '#b71c1c' } }],
  }, 360, Math.max(160, 60 + kinds.length * 28));
  const labels = ['许可', '处罚', '强制', '检查', '听证', '法制审核'];
  const actions = await svgChart({
    title: { text: '各类执法行为（件）', left: 'center', textStyle: { fontSize: 14 } },
    grid: { left: 40, right: 20, top: 56, bottom: 30 },
    xAxis: { type: 'category', data: labels, axisLabel: { fontSize: 11, interval: 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: [f.licences.granted + f.licences.refused, f.penalties.total, f.coercion.measures, f.inspections.total + f.inspections.random, f.hearings.total, f.reviews.total], label: { show: true, position: 'top' }, itemStyle: { color: '#1565c0' } }],
  }, 360, 260);
  return { penalties, actions };
}

export async function reportXlsx(title: string, f: Figures): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  const ws = wb.addWorksheet('行政执法数据表');
  ws.columns = [{ header: '指标', key: 'key', width: 36 }, { header: '名称', key: 'label', width: 36 }, { header: '数值', key: 'value', width: 14 }];
  ws.insertRow(1, [title]);
  for (const [key, value] of flatten(f)) ws.addRow({ key, label: FIGURE_LABELS[key] ?? key, value });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function reportPdf(title: string, subtitle: string, f: Figures, narrative: string): Promise<Buffer> {
  const rows = flatten(f).map(([k, v]) => [FIGURE_LABELS[k] ?? k, String(v)] as const);
  const font = await fontSubset('regular', title + subtitle + narrative + rows.map((r) => r.join('')).join('') + '第一部分行政执法数据表第二部分情况说明');
  const pdf = new PDFDocument({ size: 'A4', margin: 56 });
  pdf.registerFont('R', font.data);
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => pdf.on('end', () => resolve()));
  pdf.font('R').fontSize(18).text(title, { align: 'center' }).moveDown(0.3).fontSize(10).text(subtitle, { align: 'center' }).moveDown();
  pdf.fontSize(13).text('第一部分 行政执法数据表').moveDown(0.3).fontSize(10);
  for (const [label, value] of rows) {
    const y = pdf.y;
    pdf.text(label, 56, y, { width: 330 });
    pdf.text(value, 400, y, { width: 140, align: 'right' });
  }
  pdf.moveDown().fontSize(13).text('第二部分 情况说明', 56).moveDown(0.3).fontSize(10).text(narrative || '—', { width: 483 });
  pdf.end();
  await done;
  return Buffer.concat(chunks);
}
