import { useEffect } from 'react';
import type { RefObject } from 'react';

/**
 * On a phone every antd table in the content is shown as a list of cards (responsive.css): each cell
 * then needs its column's name, which this copies from the table's header into `data-label`. One
 * observer for the whole content, so pages added later get it without doing anything.
 */
export function useTableCardLabels(root: RefObject<HTMLElement | null>, active: boolean): void {
  useEffect(() => {
    const el = root.current;
    if (!active || !el) return;
    let frame = 0;
    const label = () => {
      frame = 0;
      for (const table of el.querySelectorAll<HTMLTableElement>('.ant-table table')) {
        const heads = [...table.querySelectorAll<HTMLTableCellElement>('thead th')].filter((th) => !th.classList.contains('ant-table-selection-column'));
        const names: string[] = [];
        for (const th of heads) for (let i = 0; i < (th.colSpan || 1); i++) names.push(th.innerText.trim());
        for (const row of table.querySelectorAll<HTMLTableRowElement>('tbody tr')) {
          let i = 0;
          for (const td of row.cells) {
            const name = names[i] ?? '';
            if (td.dataset.label !== name) td.dataset.label = name;
            i += td.colSpan || 1;
          }
        }
      }
    };
    const observer = new MutationObserver(() => {
      if (!frame) frame = requestAnimationFrame(label);
    });
    observer.observe(el, { childList: true, subtree: true, characterData: true });
    label();
    return () => {
      observer.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [root, active]);
}
