/**
 * A long list or table that scrolls with the page, drawn only around the screen (issue 20):
 * @tanstack/react-virtual's window virtualizer, the drawn items with blank slots standing in for
 * the rest (virtual-rows.ts), and the item holding the keyboard focus kept drawn when scrolled
 * away. Used by VirtualTableBody and the chart's course.
 */
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { slots, withKept } from './virtual-rows';

export function useWindowSlots<T extends HTMLElement>({
  count,
  itemHeight,
  itemKey,
  overscan = 8,
  kept,
  uniform = false,
}: {
  count: number;
  /** The usual height of an item in px (items are measured once drawn). */
  itemHeight: number;
  itemKey: (index: number) => string;
  overscan?: number;
  /** An item to draw wherever the page is scrolled (one about to take the focus). */
  kept?: number;
  /**
   * Every item has the height of the first one drawn (one line per cell): only that one is
   * measured, so scrolling neither measures each new item nor re-draws the list when an item's
   * height differs from `itemHeight` (issue 20: per-row measuring made the scroll freeze).
   */
  uniform?: boolean;
}) {
  const container = useRef<T>(null);
  // Where the list starts on the page: the virtualizer counts items from there.
  const [margin, setMargin] = useState(0);
  useLayoutEffect(() => {
    const el = container.current;
    if (!el) return;
    const update = () => {
      const top = Math.round(el.getBoundingClientRect().top + window.scrollY);
      setMargin((m) => (m === top ? m : top));
    };
    update();
    // What is above the list (a notice, a wrapped line) can change its height, and with it the
    // page's: observed once, not re-read after every render.
    const observer = new ResizeObserver(update);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, []);
  const [size, setSize] = useState(itemHeight);
  const [focused, setFocused] = useState<number>();
  const keep = kept ?? focused;
  const v = useWindowVirtualizer({
    count,
    estimateSize: useCallback(() => size, [size]),
    overscan,
    scrollMargin: margin,
    getItemKey: itemKey,
    rangeExtractor: useCallback((r: Parameters<typeof withKept>[0]) => withKept(r, keep), [keep]),
    // Not re-drawn synchronously inside every scroll event (the default): a wheel step's several
    // scroll events each forced a whole render of the list in the event handler (issue 20: the
    // scroll handler took 41–45 ms of a long frame). React draws the new rows once, before the
    // next frame; the overscan covers the step meanwhile.
    useFlushSync: false,
  });
  // Uniform items: the first one drawn gives the height of all, read again when the window
  // (and with it the text's wrapping or the zoom) changes.
  const drawn = count > 0;
  useLayoutEffect(() => {
    if (!uniform || !drawn) return;
    const read = () => {
      const first = container.current?.querySelector('[data-index]');
      const h = first?.getBoundingClientRect().height;
      if (h) setSize((s) => (Math.abs(s - h) < 0.01 ? s : h));
    };
    read();
    window.addEventListener('resize', read);
    return () => window.removeEventListener('resize', read);
  }, [uniform, drawn]);
  useEffect(() => {
    if (uniform) v.measure();
  }, [uniform, size, v]);
  const items = v.getVirtualItems();
  return {
    container,
    items,
    slots: slots(items, margin, v.getTotalSize()),
    /** Ref for each drawn item, to measure its height (not needed with `uniform`). */
    measure: v.measureElement,
    /** Spread on the container: tracks which item has the focus. */
    focusProps: {
      onFocus: (e: React.FocusEvent<T>) => setFocused(indexOf(e.target)),
      onBlur: (e: React.FocusEvent<T>) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocused(undefined);
      },
    },
  };
}

/** The index of the drawn item (`data-index`) holding `target`. */
export function indexOf(target: EventTarget | null): number | undefined {
  const item = (target as HTMLElement | null)?.closest?.('[data-index]');
  return item ? Number(item.getAttribute('data-index')) : undefined;
}
