/**
 * The body of a long table, drawn only around what is on screen (issue 20: drawing 2,000 patient
 * rows froze scrolling for 1.7 s, and every search keystroke re-drew them all). The page keeps
 * scrolling as a whole: blank rows stand in for the rows not drawn. Screen readers get the real
 * count and position of each row (`aria-rowcount` on the table, see `ariaRowCount`, and
 * `aria-rowindex` on each row); the arrow keys (and Page Up/Down, Ctrl+Home/End) move the focus
 * from row to row through the whole list, and the focused row stays drawn when scrolled away.
 */
import { Table } from '@mantine/core';
import {
  type HTMLAttributes,
  type KeyboardEvent,
  type ReactNode,
  memo,
  useEffect,
  useState,
} from 'react';
import { indexOf, useWindowSlots } from './use-window-slots';
import classes from './virtual-rows.module.css';
import { rowAfterKey } from './virtual-rows';

const FOCUSABLE = 'button, a[href], input, select, textarea, [tabindex="0"]';

/** The table's `aria-rowcount`: every row of the body and the one header row. */
export const ariaRowCount = (count: number) => count + 1;

export function VirtualTableBody({
  count,
  columns,
  rowHeight,
  rowKey,
  children,
  rowProps,
  overscan = 8,
  uniform = false,
}: {
  count: number;
  /** Columns of the table: blank rows span them. */
  columns: number;
  /** The usual height of a row in px (rows are measured once drawn). */
  rowHeight: number;
  rowKey: (index: number) => string;
  /**
   * The cells of row `index`. Rows already drawn are drawn again only when this function changes:
   * keep it stable (useCallback) where the list scrolls often.
   */
  children: (index: number) => ReactNode;
  /** Extra attributes of row `index` (a class that marks it, a title). */
  rowProps?: (index: number) => HTMLAttributes<HTMLTableRowElement> | undefined;
  overscan?: number;
  /** One line per cell, so every row has the first row's height and only that one is measured. */
  uniform?: boolean;
}) {
  const [focusTo, setFocusTo] = useState<number>();
  const {
    container: body,
    items,
    slots,
    measure,
    focusProps,
  } = useWindowSlots<HTMLTableSectionElement>({
    count,
    itemHeight: rowHeight,
    itemKey: rowKey,
    overscan,
    kept: focusTo,
    uniform,
  });

  // After an arrow key: the row is drawn now (it is kept); focus it and bring it into view.
  useEffect(() => {
    if (focusTo === undefined) return;
    const row = body.current?.querySelector<HTMLElement>(`tr[data-index="${focusTo}"]`);
    if (!row) return;
    const target = row.querySelector<HTMLElement>(FOCUSABLE) ?? row;
    target.focus({ preventScroll: true });
    row.scrollIntoView({ block: 'nearest' });
    setFocusTo(undefined);
  }, [focusTo, items]);

  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const from = indexOf(e.target);
    if (from === undefined || (e.target as HTMLElement).closest('input, textarea, select')) return;
    const to = rowAfterKey(e.key, e.ctrlKey || e.metaKey, from, count);
    if (to === undefined) return;
    e.preventDefault();
    if (to !== from) setFocusTo(to);
  };

  return (
    <Table.Tbody
      ref={body}
      onKeyDown={onKeyDown}
      className={uniform ? classes.uniform : undefined}
      {...focusProps}
    >
      {slots.map((s) =>
        'gap' in s ? (
          <tr key={s.key} aria-hidden className={classes.gap} style={{ height: s.gap }}>
            <td colSpan={columns} />
          </tr>
        ) : (
          <DrawnRow
            key={String(s.row.key)}
            index={s.row.index}
            measure={uniform ? undefined : measure}
            extra={rowProps}
            cells={children}
          />
        ),
      )}
    </Table.Tbody>
  );
}

/**
 * One drawn row. Memoized: scrolling re-draws the table body at every step, and re-drawing the
 * rows already on screen was most of the cost (issue 20, a profile of the patient list: 20–100 ms
 * a frame, mostly rows whose content had not changed).
 */
const DrawnRow = memo(function DrawnRow({
  index,
  measure,
  extra,
  cells,
}: {
  index: number;
  measure?: (el: HTMLTableRowElement | null) => void;
  extra?: (index: number) => HTMLAttributes<HTMLTableRowElement> | undefined;
  cells: (index: number) => ReactNode;
}) {
  const { className, ...more } = extra?.(index) ?? {};
  return (
    <Table.Tr
      {...more}
      data-index={index}
      ref={measure}
      aria-rowindex={index + 2}
      className={[classes.row, index % 2 === 0 && classes.stripe, className]
        .filter(Boolean)
        .join(' ')}
    >
      {cells(index)}
    </Table.Tr>
  );
});
