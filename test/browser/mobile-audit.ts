// What a phone screen must satisfy (issue 14), checked in the page: no sideways scroll, nothing covering
// a control's tap point, every control at least 24×24 CSS px (WCAG 2.2 2.5.8) and primary actions 44 px,
// and no serious or critical axe-core violation.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource: string = (require('axe-core') as { source: string }).source;

export interface ScreenProblems {
  sidewaysScroll: number;
  covered: string[];
  small: string[];
  smallPrimary: string[];
  axe: string[];
}

export async function auditScreen(page: Page): Promise<ScreenProblems> {
  const found = await page.evaluate(async () => {
    const describe = (el: Element) => `${el.tagName.toLowerCase()}「${((el as HTMLElement).innerText || el.getAttribute('aria-label') || el.getAttribute('title') || '').trim().slice(0, 30)}」`;
    // With a modal open (a dialog, 亮证), only its controls are operable; what is behind it is meant to be covered.
    const modal = [...document.querySelectorAll<HTMLElement>('[aria-modal="true"]')].filter((m) => m.getBoundingClientRect().height > 0).at(-1);
    const controls = () =>
      [...(modal ?? document).querySelectorAll<HTMLElement>('button, a[href], [role="button"], [role="tab"]')].filter((el) => {
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.pointerEvents !== 'none' && !el.closest('[aria-hidden="true"], .ant-tabs-nav-operations');
      });
    // Bars that stay on screen while the page scrolls: a control scrolled under them is not "covered".
    const fixedBars = [...document.querySelectorAll<HTMLElement>('.sx-topbar, .sx-bottom-tabs, .ant-drawer-header, .ant-drawer-footer')];
    const covered = new Set<string>();
    const small = new Set<string>();
    const smallPrimary = new Set<string>();
    const sidewaysScroll = document.documentElement.scrollWidth - window.innerWidth;
    const scrollers = [document.scrollingElement!, ...document.querySelectorAll<HTMLElement>('.ant-drawer-body, .ant-modal-wrap')].filter((s) => s.scrollHeight > s.clientHeight + 1 || s === document.scrollingElement);
    for (const scroller of scrollers) {
      for (let y = 0; ; y += Math.floor(window.innerHeight * 0.7)) {
        scroller.scrollTop = y;
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        for (const el of controls()) {
          const r = el.getBoundingClientRect();
          const x = r.left + r.width / 2;
          const cy = r.top + r.height / 2;
          if (cy < 0 || cy > window.innerHeight || x < 0 || x > window.innerWidth) continue;
          const inline = el.tagName === 'A' && !el.closest('.ant-btn') && getComputedStyle(el).display === 'inline';
          if ((r.width < 24 || r.height < 24) && !inline) small.add(`${describe(el)} ${Math.round(r.width)}×${Math.round(r.height)}`);
          if (el.matches('.ant-btn-primary') && r.height < 44) smallPrimary.add(`${describe(el)} ${Math.round(r.height)}`);
          const under = fixedBars.some((bar) => !bar.contains(el) && (() => { const b = bar.getBoundingClientRect(); return cy >= b.top && cy <= b.bottom && b.height > 0; })());
          if (under) continue;
          const hit = document.elementFromPoint(x, cy);
          if (hit && hit !== el && !el.contains(hit) && !hit.contains(el)) covered.add(`${describe(el)} 被 ${describe(hit)} 遮挡`);
        }
        if (y + window.innerHeight >= scroller.scrollHeight) break;
      }
      scroller.scrollTop = 0;
    }
    return { sidewaysScroll, covered: [...covered], small: [...small], smallPrimary: [...smallPrimary] };
  });
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const axe = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document | HTMLElement, o: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[]; html: string }[] }[] }> } };
    // Behind an open modal the page is dimmed and out of reach: the modal is what is checked then.
    const modal = [...document.querySelectorAll<HTMLElement>('[aria-modal="true"]')].filter((m) => m.getBoundingClientRect().height > 0).at(-1);
    const r = await w.axe.run(modal ?? document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.html.slice(0, 120)}`).join(' | ')}`);
  });
  return { ...found, axe };
}
