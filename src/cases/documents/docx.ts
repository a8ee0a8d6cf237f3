// DOCX export of a draft (草稿) for officers who need to edit the wording in a word processor. It is
// drawn from the same composed document as the PDF, so both say the same thing. Fonts are named, not
// embedded: 仿宋_GB2312 for the body and 方正小标宋简体 for titles, as on government machines
// (Word falls back to a Song face where they are missing). The draft carries no QR code and is
// marked 草稿 in the header: only the PDF rendered from the saved fields is the final document.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type IRunOptions,
} from 'docx';
import { composeDocument, type Block, type ComposedDocument, type DocumentInput, type GridCell } from './content.ts';
import type { DocumentLayout } from './schema.ts';

const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋_GB2312', cs: 'Times New Roman' };
const TITLE_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '方正小标宋简体', cs: 'Times New Roman' };
const MM_TWIP = 1440 / 25.4;

// Point sizes as in the PDF (pdf.ts), with the line pitch of GB/T 9704 for letters.
const SIZES: Record<DocumentLayout, { body: number; pitch: number; heading: [number, number]; margins: [number, number, number, number] }> = {
  letter: { body: 16, pitch: 29, heading: [20, 22], margins: [37, 26, 35, 28] },
  form: { body: 12, pitch: 22, heading: [20, 22], margins: [30, 22, 25, 22] },
  list: { body: 10.5, pitch: 18, heading: [20, 22], margins: [30, 20, 25, 20] },
  record: { body: 14, pitch: 28, heading: [20, 22], margins: [30, 22, 36, 25] },
  cover: { body: 15, pitch: 28, heading: [24, 32], margins: [40, 26, 30, 28] },
};

/** DOCX bytes of the document as an editable draft; validates the fields like the PDF does. */
export async function renderDocumentDocx(doc: DocumentInput): Promise<Buffer> {
  return renderComposedDocx(composeDocument(doc));
}

export async function renderComposedDocx(c: ComposedDocument): Promise<Buffer> {
  const s = SIZES[c.layout];
  const run = (text: string, extra: Partial<IRunOptions> = {}) => new TextRun({ text, font: BODY_FONT, size: s.body * 2, ...extra });
  const spacing = { line: s.pitch * 20, lineRule: LineRuleType.EXACT, before: 0, after: 0 };
  const para = (text: string, opts: { indent?: boolean; align?: 'left' | 'center' | 'right'; bold?: boolean; right?: number } = {}) =>
    new Paragraph({
      children: [run(text, { bold: opts.bold })],
      alignment: opts.align === 'center' ? AlignmentType.CENTER : opts.align === 'right' ? AlignmentType.RIGHT : AlignmentType.BOTH,
      indent: { ...(opts.indent ? { firstLine: s.body * 2 * 20 } : {}), ...(opts.right ? { right: opts.right } : {}) },
      spacing,
    });

  const children: (Paragraph | Table)[] = [];
  c.headingLines.forEach((line, i) => {
    const size = c.headingLines.length === 1 ? s.heading[1] : s.heading[i === c.headingLines.length - 1 ? 1 : 0];
    children.push(
      new Paragraph({
        children: [new TextRun({ text: line, font: TITLE_FONT, size: size * 2, bold: true })],
        alignment: AlignmentType.CENTER,
        spacing: { line: Math.round(size * 1.6 * 20), lineRule: LineRuleType.EXACT },
      }),
    );
  });
  children.push(para(c.numberLine?.text ?? (c.layout === 'letter' ? '（文号待编）' : ''), { align: c.numberLine?.align ?? 'center' }));
  if (c.layout === 'letter') children.push(para(''));

  for (const b of c.blocks) children.push(...block(b));

  function block(b: Block): (Paragraph | Table)[] {
    switch (b.kind) {
      case 'para':
        return [para(b.text, { indent: b.indent, align: b.align, bold: b.bold })];
      case 'field':
        return [para(`${b.label}：${b.value}`)];
      case 'heading':
        return [para(''), para(b.text, { align: 'center', bold: true })];
      case 'qa':
        return b.items.flatMap((x) => [para(`问：${x.q}`), para(`答：${x.a}`)]);
      case 'signatures':
        return [para(''), ...b.lines.flatMap((l) => [para(l, { align: 'left' }), para('')])];
      case 'seal':
        return [para(''), para(''), para(b.agency, { align: 'right', right: s.body * 20 * 4 }), para(b.date, { align: 'right', right: s.body * 20 * 4 })];
      case 'space':
        return Array.from({ length: b.lines }, () => para(''));
      case 'grid':
        return [grid(b.widths, b.rows), para('')];
      case 'table':
        return [table(b.headers, b.widths, b.rows, b.align), para('')];
    }
  }

  function cellParas(text: string, align?: 'center' | 'right' | 'left') {
    const lines = text.split('\n');
    return lines.map((l) => para(l, { align: align ?? 'left' }));
  }

  function grid(widths: number[], rows: GridCell[][]): Table {
    const total = widths.reduce((a, b) => a + b, 0);
    return new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: rows.map((row) => {
        let col = 0;
        return new TableRow({
          children: row.map((cell) => {
            const span = cell.span ?? 1;
            const pct = (widths.slice(col, col + span).reduce((a, b) => a + b, 0) / total) * 100;
            col += span;
            const content = cell.label ? cellParas(cell.text, 'center') : cellParas(cell.text);
            for (let i = content.length; i < (cell.minLines ?? 0); i++) content.push(para(''));
            if (cell.sign) content.push(para(cell.sign, { align: 'right' }));
            return new TableCell({
              children: content,
              columnSpan: span,
              width: { size: pct, type: WidthType.PERCENTAGE },
              verticalAlign: cell.label ? VerticalAlignTable.CENTER : VerticalAlignTable.TOP,
              borders: BORDERS,
            });
          }),
        });
      }),
    });
  }

  function table(headers: string[], widths: number[], rows: string[][], align?: ('left' | 'center')[]): Table {
    const total = widths.reduce((a, b) => a + b, 0);
    const mk = (cells: string[], head: boolean) =>
      new TableRow({
        tableHeader: head,
        children: cells.map(
          (t, i) =>
            new TableCell({
              children: [para(t, { align: head ? 'center' : (align?.[i] ?? 'left'), bold: head })],
              width: { size: (widths[i]! / total) * 100, type: WidthType.PERCENTAGE },
              verticalAlign: VerticalAlignTable.CENTER,
              borders: BORDERS,
            }),
        ),
      });
    return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [mk(headers, true), ...rows.map((r) => mk(r, false))] });
  }

  const footerChildren =
    c.layout === 'record'
      ? [
          ...(c.pageFooter ? [new Paragraph({ children: [run(c.pageFooter, { size: 24 })] })] : []),
          new Paragraph({ alignment: AlignmentType.CENTER, children: [run('', { size: 24, children: ['第 ', PageNumber.CURRENT, ' 页　共 ', PageNumber.TOTAL_PAGES, ' 页'] })] }),
        ]
      : [new Paragraph({ alignment: AlignmentType.CENTER, children: [run('', { size: 28, children: ['— ', PageNumber.CURRENT, ' —'] })] })];

  const [top, right, bottom, left] = s.margins;
  const document = new Document({
    creator: '三项 sanxiang',
    title: c.title,
    subject: c.numberLine?.text ?? c.title,
    description: `${c.agencyName}${c.title}（草稿）`,
    keywords: c.type,
    styles: { default: { document: { run: { font: BODY_FONT, size: s.body * 2 } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: Math.round(210 * MM_TWIP), height: Math.round(297 * MM_TWIP) },
            margin: { top: Math.round(top * MM_TWIP), right: Math.round(right * MM_TWIP), bottom: Math.round(bottom * MM_TWIP), left: Math.round(left * MM_TWIP) },
          },
        },
        headers: { default: new Header({ children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [run('草稿（供修改，不作为正式文书）', { size: 18, color: '808080' })] })] }) },
        footers: { default: new Footer({ children: footerChildren }) },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}

const LINE = { style: BorderStyle.SINGLE, size: 6, color: '000000' };
const BORDERS = { top: LINE, bottom: LINE, left: LINE, right: LINE };
