// PDF rendering of case documents: A4, Song-style Chinese face (Noto Serif SC, subset per document),
// title centred, 文号 under it, body in the layout of the national formats, signature and seal area,
// date in Chinese form, and for final documents a QR code to the ledger's verify page.
//
// Deterministic: the same input gives the same bytes (the ledger commits to the hash). pdfkit takes
// its file ID from the info dictionary, so CreationDate/ModDate are fixed from issuedOn; the font
// subset depends only on the document's characters; the QR code is drawn as vector squares.
// pdfkit is loaded on first use: it costs about 260 ms of start-up that /healthz need not wait for.
const loadPdfKit = () => import('pdfkit').then((m) => m.default);
import QRCode from 'qrcode';
import { AppError } from '../../platform/errors.ts';
import { composeDocument, documentText, type Block, type ComposedDocument, type DocumentInput, type GridCell } from './content.ts';
import { fontSubset } from './fonts.ts';
import type { DocumentLayout } from './schema.ts';

const MM = 72 / 25.4;
const PAGE_W = 595.28;
const PAGE_H = 841.89;

interface Style {
  body: number;
  lineGap: number;
  /** Size of the heading lines (agency name, title). */
  heading: [number, number];
  margins: { top: number; bottom: number; left: number; right: number };
}

// GB/T 9704 margins for letters (天头 37 mm, 订口 28 mm); forms and records a little tighter.
const STYLES: Record<DocumentLayout, Style> = {
  letter: { body: 16, lineGap: 8, heading: [20, 24], margins: { top: 37 * MM, bottom: 32 * MM, left: 28 * MM, right: 26 * MM } },
  form: { body: 12, lineGap: 5, heading: [20, 22], margins: { top: 35 * MM, bottom: 25 * MM, left: 22 * MM, right: 22 * MM } },
  list: { body: 10.5, lineGap: 4, heading: [20, 22], margins: { top: 35 * MM, bottom: 25 * MM, left: 20 * MM, right: 20 * MM } },
  record: { body: 14, lineGap: 9, heading: [20, 22], margins: { top: 35 * MM, bottom: 36 * MM, left: 25 * MM, right: 22 * MM } },
  cover: { body: 15, lineGap: 8, heading: [24, 32], margins: { top: 40 * MM, bottom: 30 * MM, left: 28 * MM, right: 26 * MM } },
};

const QR_SIZE = 20 * MM;
const QR_TOP = 8 * MM;

/** Renders one document to PDF bytes; validates its fields first (Chinese errors). */
export async function renderDocumentPdf(doc: DocumentInput): Promise<Buffer> {
  return renderComposedPdf(composeDocument(doc));
}

export interface PdfOptions {
  /**
   * 'embedded' (default): the Chinese face, subset per document. 'standard': pdfkit's built-in
   * Helvetica, which draws ASCII only — the benchmark's baseline for the same layout.
   */
  fonts?: 'embedded' | 'standard';
}

/** Renders an already composed document (the tests use this to blank parts of a page). */
export async function renderComposedPdf(c: ComposedDocument, opts: PdfOptions = {}): Promise<Buffer> {
  const standard = opts.fonts === 'standard';
  const text = documentText(c);
  const [regular, bold] = standard
    ? [undefined, undefined]
    : await Promise.all([fontSubset('regular', text.regular), fontSubset('bold', text.bold || c.title)]);
  const missing = [...new Set([...(regular?.missing ?? []), ...(bold?.missing ?? [])])];
  if (missing.length) {
    throw new AppError('validation', {
      detail: `文书中有字体无法显示的字符：${missing.map((ch) => `“${ch}”（U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}）`).join('、')}，请改用规范汉字或者以图片附后`,
    });
  }
  const style = STYLES[c.layout];
  const created = new Date(`${c.issuedOn}T00:00:00+08:00`);
  const PDFDocument = await loadPdfKit();
  const pdf = new PDFDocument({
    size: 'A4',
    margins: style.margins,
    bufferPages: true,
    autoFirstPage: false,
    pdfVersion: '1.7',
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: c.title,
      Author: c.agencyName,
      Subject: c.numberLine?.text ?? c.title,
      Keywords: c.type,
      Creator: '三项 sanxiang',
      Producer: '三项 sanxiang',
      CreationDate: created,
      ModDate: created,
    },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<void>((resolve, reject) => {
    pdf.on('end', () => resolve());
    pdf.on('error', reject);
  });
  pdf.registerFont('R', regular ? regular.data : 'Helvetica');
  pdf.registerFont('B', bold ? bold.data : 'Helvetica-Bold');
  new Renderer(pdf, style, c).render();
  pdf.end();
  await done;
  return Buffer.concat(chunks);
}

class Renderer {
  private readonly x0: number;
  private readonly width: number;
  private readonly lineH: number;

  constructor(
    private readonly pdf: PDFKit.PDFDocument,
    private readonly s: Style,
    private readonly c: ComposedDocument,
  ) {
    // The text block is a whole number of characters wide, centred, so that lines of Chinese text
    // end flush at both margins as on a printed form.
    const avail = PAGE_W - s.margins.left - s.margins.right;
    this.width = Math.floor(avail / s.body) * s.body;
    this.x0 = s.margins.left + (avail - this.width) / 2;
    this.pdf.font('R').fontSize(s.body);
    this.lineH = this.pdf.currentLineHeight(true) + s.lineGap;
  }

  private get bottom() {
    return PAGE_H - this.s.margins.bottom;
  }

  private newPage() {
    this.pdf.addPage();
    this.pdf.x = this.x0;
    this.pdf.y = this.s.margins.top;
  }

  private ensure(height: number) {
    if (this.pdf.y + height > this.bottom) this.newPage();
  }

  private bodyFont() {
    return this.pdf.font('R').fontSize(this.s.body).fillColor('black');
  }

  render() {
    this.newPage();
    this.heading();
    const blocks = this.c.blocks;
    blocks.forEach((b, i) => {
      // The seal and date never stand alone on a page: the paragraph before them moves along.
      const next = blocks[i + 1];
      if (b.kind === 'para' && next?.kind === 'seal') {
        this.bodyFont();
        const h = this.pdf.heightOfString(b.text, { width: this.width, lineGap: this.s.lineGap, indent: b.indent ? this.s.body * 2 : 0 });
        const room = this.bottom - this.pdf.y;
        if (h <= room && h + this.sealHeight() > room) this.newPage();
      }
      this.block(b);
    });
    this.pageDecorations();
  }

  private heading() {
    const { pdf, c, s } = this;
    const lines = c.headingLines;
    lines.forEach((line, i) => {
      const size = lines.length === 1 ? s.heading[1] : s.heading[i === lines.length - 1 ? 1 : 0];
      // Short titles are spaced out, as printed forms do (询 问 笔 录).
      const spacing = [...line].length <= 6 ? size * 0.35 : [...line].length <= 10 ? size * 0.12 : 0;
      pdf.font('B').fontSize(size);
      const w = pdf.widthOfString(line, { characterSpacing: spacing }) - spacing;
      const y = pdf.y;
      pdf.text(line, this.x0 + (this.width - w) / 2, y, { lineBreak: false, characterSpacing: spacing });
      pdf.y = y + pdf.currentLineHeight(true) * (c.layout === 'cover' ? 1.8 : 1.15);
    });
    if (c.layout === 'cover') pdf.y += 6 * MM;
    if (c.numberLine) {
      this.bodyFont();
      pdf.y += s.lineGap;
      pdf.text(c.numberLine.text, this.x0, pdf.y, { width: this.width, align: c.numberLine.align, lineBreak: false });
      pdf.y += this.lineH;
    }
    pdf.y += c.layout === 'letter' ? this.lineH * 0.9 : this.lineH * 0.4;
  }

  private text(t: string, opts: PDFKit.Mixins.TextOptions = {}) {
    this.pdf.text(t, this.x0, this.pdf.y, { width: this.width, lineGap: this.s.lineGap, ...opts });
  }

  private block(b: Block) {
    const { pdf, s } = this;
    switch (b.kind) {
      case 'para':
        this.bodyFont();
        if (b.bold) pdf.font('B');
        this.ensure(this.lineH);
        this.text(b.text, { indent: b.indent ? s.body * 2 : 0, align: b.align ?? 'left' });
        return;
      case 'field':
        this.bodyFont();
        this.ensure(this.lineH);
        this.text(`${b.label}：${b.value}`);
        return;
      case 'heading':
        pdf.font('B').fontSize(s.body + 1);
        this.ensure(this.lineH * 3);
        pdf.y += this.lineH * 0.4;
        this.text(b.text, { align: 'center' });
        pdf.y += s.lineGap * 0.5;
        return;
      case 'qa':
        this.bodyFont();
        for (const x of b.items) {
          this.ensure(this.lineH);
          this.text(`问：${x.q}`);
          this.ensure(this.lineH);
          this.text(`答：${x.a}`);
        }
        return;
      case 'signatures': {
        this.bodyFont();
        const pitch = this.lineH * 1.7;
        this.ensure(pitch * b.lines.length + this.lineH * 0.5);
        pdf.y += this.lineH * 0.5;
        for (const line of b.lines) {
          pdf.text(line, this.x0, pdf.y, { lineBreak: false });
          pdf.y += pitch;
        }
        return;
      }
      case 'seal':
        return this.seal(b.agency, b.date);
      case 'grid':
        return this.grid(b.widths, b.rows, b.large ?? false);
      case 'table':
        return this.table(b.headers, b.widths, b.rows, b.align);
      case 'space':
        pdf.y += this.lineH * b.lines;
        return;
    }
  }

  private sealHeight() {
    return this.lineH * 4;
  }

  /** Issuing agency and date at the right, two lines of room above for the seal (GB/T 9704: 右空四字). */
  private seal(agency: string, date: string) {
    const { pdf, s } = this;
    this.bodyFont();
    const room = this.lineH * 2;
    this.ensure(this.sealHeight());
    pdf.y += room;
    const dateW = pdf.widthOfString(date);
    const agencyW = pdf.widthOfString(agency);
    const right = this.x0 + this.width - s.body * 4;
    const dateX = right - dateW;
    const agencyX = Math.min(dateX + (dateW - agencyW) / 2, this.x0 + this.width - agencyW);
    pdf.text(agency, agencyX, pdf.y, { lineBreak: false });
    pdf.y += this.lineH;
    pdf.text(date, dateX, pdf.y, { lineBreak: false });
    pdf.y += this.lineH * 1.2;
  }

  // -------------------------------------------------------------------------------------------
  // Bordered grids (approval forms, service receipt, cover).

  private grid(widths: number[], rows: GridCell[][], large: boolean) {
    const { pdf } = this;
    const size = large ? this.s.body : this.s.body;
    const pad = size * 0.45;
    const total = widths.reduce((a, b) => a + b, 0);
    const colX: number[] = [];
    let acc = 0;
    for (const w of widths) {
      colX.push(this.x0 + (acc / total) * this.width);
      acc += w;
    }
    colX.push(this.x0 + this.width);
    const gap = this.s.lineGap;
    const rowMin = large ? this.lineH * 1.45 : this.lineH + pad * 2;

    const layout = (row: GridCell[]) => {
      let col = 0;
      return row.map((cell) => {
        const span = cell.span ?? 1;
        const x = colX[col]!;
        const w = colX[col + span]! - x;
        col += span;
        pdf.font('R').fontSize(size);
        const inner = w - pad * 2;
        const textH = cell.text ? pdf.heightOfString(cell.text, { width: inner, lineGap: gap }) : 0;
        const signH = cell.sign ? this.lineH : 0;
        const need = Math.max(textH + signH + pad * 2, (cell.minLines ?? 0) * this.lineH + signH + pad * 2, rowMin);
        return { cell, x, w, inner, need };
      });
    };

    const queue = [...rows];
    for (let row = queue.shift(); row; row = queue.shift()) {
      const cells = layout(row);
      const h = Math.max(...cells.map((c) => c.need));
      const room = this.bottom - pdf.y;
      if (h > room) {
        const fullPage = this.bottom - this.s.margins.top;
        // A row taller than the room left is split when it is long or the room is large; otherwise it moves on.
        if (h > fullPage || room > fullPage * 0.35) {
          const split = this.splitRow(cells, room - pad * 2);
          if (split) {
            this.drawRow(split.first, room, pad, size, large);
            this.newPage();
            queue.unshift(split.rest);
            continue;
          }
        }
        this.newPage();
      }
      this.drawRow(cells, h, pad, size, large);
    }
    pdf.y += this.lineH * 0.3;
  }

  private drawRow(cells: { cell: GridCell; x: number; w: number; inner: number }[], h: number, pad: number, size: number, large: boolean) {
    const { pdf } = this;
    const y = pdf.y;
    pdf.lineWidth(0.8).strokeColor('black');
    for (const { cell, x, w, inner } of cells) {
      pdf.rect(x, y, w, h).stroke();
      pdf.font(cell.label && large ? 'B' : 'R').fontSize(size);
      if (cell.label) {
        const th = pdf.heightOfString(cell.text, { width: inner, lineGap: this.s.lineGap, align: 'center' });
        pdf.text(cell.text, x + pad, y + (h - th) / 2 + this.s.lineGap / 2, { width: inner, align: 'center', lineGap: this.s.lineGap });
      } else {
        if (cell.text) {
          const th = large ? pdf.heightOfString(cell.text, { width: inner, lineGap: this.s.lineGap }) : 0;
          pdf.text(cell.text, x + pad, large ? y + (h - th) / 2 + this.s.lineGap / 2 : y + pad, { width: inner, lineGap: this.s.lineGap });
        }
        if (cell.sign) pdf.text(cell.sign, x + pad, y + h - pad - this.lineH + this.s.lineGap / 2, { width: inner, align: 'right', lineBreak: false });
      }
    }
    pdf.y = y + h;
    pdf.x = this.x0;
  }

  /** Splits a row's long texts at the last character that fits in `room`; labels repeat with （续）. */
  private splitRow(cells: { cell: GridCell; x: number; w: number; inner: number; need: number }[], room: number) {
    const { pdf } = this;
    if (room < this.lineH * 2) return null;
    const first: typeof cells = [];
    const rest: GridCell[] = [];
    let any = false;
    for (const c of cells) {
      pdf.font('R').fontSize(this.s.body);
      const fits = (t: string) => pdf.heightOfString(t, { width: c.inner, lineGap: this.s.lineGap }) <= room - (c.cell.sign ? this.lineH : 0);
      if (c.cell.label || fits(c.cell.text)) {
        first.push({ ...c, cell: { ...c.cell, sign: fits(c.cell.text) && !c.cell.label ? c.cell.sign : undefined } });
        rest.push(c.cell.label ? { ...c.cell, text: `${c.cell.text}（续）` } : { ...c.cell, text: '', minLines: 0 });
        continue;
      }
      const chars = [...c.cell.text];
      // No more characters fit than lines × the narrowest glyphs per line; bounding the search keeps
      // each measurement short.
      const lines = Math.floor(room / this.lineH) + 1;
      let lo = 0;
      let hi = Math.min(chars.length, Math.ceil(lines * (c.inner / (this.s.body * 0.25))));
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (pdf.heightOfString(chars.slice(0, mid).join(''), { width: c.inner, lineGap: this.s.lineGap }) <= room) lo = mid;
        else hi = mid - 1;
      }
      if (lo === 0) return null;
      // Prefer to break after a punctuation mark near the end, so the continuation starts cleanly.
      for (let k = lo; k > lo - 24 && k > 0; k--) {
        if ('，。；：、！？）》”'.includes(chars[k - 1]!)) {
          lo = k;
          break;
        }
      }
      any = true;
      first.push({ ...c, cell: { ...c.cell, text: chars.slice(0, lo).join(''), sign: undefined, minLines: 0 } });
      rest.push({ ...c.cell, text: chars.slice(lo).join('') });
    }
    return any ? { first, rest } : null;
  }

  // -------------------------------------------------------------------------------------------
  // List tables with a header row repeated on each page (清单, 卷内文件目录).

  private table(headers: string[], widths: number[], rows: string[][], align?: ('left' | 'center')[]) {
    const { pdf } = this;
    const size = this.s.body;
    const pad = size * 0.3;
    const gap = Math.min(this.s.lineGap, 4);
    const total = widths.reduce((a, b) => a + b, 0);
    const colX: number[] = [];
    let acc = 0;
    for (const w of widths) {
      colX.push(this.x0 + (acc / total) * this.width);
      acc += w;
    }
    colX.push(this.x0 + this.width);
    const heightOf = (cells: string[], font: 'R' | 'B') =>
      Math.max(
        ...cells.map((t, i) => {
          pdf.font(font).fontSize(size);
          return (t ? pdf.heightOfString(t, { width: colX[i + 1]! - colX[i]! - pad * 2, lineGap: gap }) : pdf.currentLineHeight(true)) + pad * 2;
        }),
      );
    const draw = (cells: string[], font: 'R' | 'B', h: number) => {
      const y = pdf.y;
      pdf.lineWidth(0.8).strokeColor('black');
      cells.forEach((t, i) => {
        const x = colX[i]!;
        const w = colX[i + 1]! - x;
        pdf.rect(x, y, w, h).stroke();
        pdf.font(font).fontSize(size);
        const a = font === 'B' ? 'center' : (align?.[i] ?? 'left');
        const th = pdf.heightOfString(t, { width: w - pad * 2, lineGap: gap, align: a });
        pdf.text(t, x + pad, y + (h - th) / 2 + gap / 2, { width: w - pad * 2, lineGap: gap, align: a });
      });
      pdf.y = y + h;
      pdf.x = this.x0;
    };
    const headH = heightOf(headers, 'B');
    this.ensure(headH * 2);
    draw(headers, 'B', headH);
    for (const r of rows) {
      const h = heightOf(r, 'R');
      if (pdf.y + h > this.bottom) {
        this.newPage();
        draw(headers, 'B', headH);
      }
      draw(r, 'R', h);
    }
    pdf.y += this.lineH * 0.5;
  }

  // -------------------------------------------------------------------------------------------
  // Page numbers, per-page signature lines of records, the QR code.

  private pageDecorations() {
    const { pdf, c } = this;
    const range = pdf.bufferedPageRange();
    const n = range.count;
    for (let i = range.start; i < range.start + n; i++) {
      pdf.switchToPage(i);
      const savedBottom = pdf.page.margins.bottom;
      pdf.page.margins.bottom = 0; // drawing below the text area must not add pages
      pdf.font('R').fillColor('black');
      if (c.layout === 'record') {
        pdf.fontSize(12);
        if (c.pageFooter) pdf.text(c.pageFooter, this.x0, PAGE_H - 27 * MM, { lineBreak: false });
        const label = `第 ${i + 1} 页　共 ${n} 页`;
        pdf.text(label, this.x0, PAGE_H - 19 * MM, { width: this.width, align: 'center', lineBreak: false });
      } else if (n > 1) {
        pdf.fontSize(14);
        pdf.text(`— ${i + 1} —`, this.x0, PAGE_H - 20 * MM, { width: this.width, align: 'center', lineBreak: false });
      }
      if (i === range.start && c.qrUrl) this.qr(c.qrUrl, c.qrCaption);
      pdf.page.margins.bottom = savedBottom;
    }
  }

  /** QR code of the ledger verify page, top right of the first page, as vector squares, captioned 扫码核验. */
  private qr(url: string, caption = '扫码核验') {
    const { pdf } = this;
    const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size;
    const cell = QR_SIZE / n;
    const x = this.x0 + this.width - QR_SIZE;
    const y = QR_TOP;
    pdf.save();
    for (let r = 0; r < n; r++) {
      for (let col = 0; col < n; col++) {
        // Runs of dark modules on a row are one rectangle: fewer path operators, same picture.
        if (!qr.modules.get(r, col)) continue;
        let end = col;
        while (end + 1 < n && qr.modules.get(r, end + 1)) end++;
        pdf.rect(x + col * cell, y + r * cell, (end - col + 1) * cell, cell);
        col = end;
      }
    }
    pdf.fillColor('black').fill();
    pdf.restore();
    pdf.link(x, y, QR_SIZE, QR_SIZE, url);
    pdf.font('R').fontSize(8).fillColor('black');
    pdf.text(caption, x, y + QR_SIZE + 1.5 * MM, { width: QR_SIZE, align: 'center', lineBreak: false });
  }
}
