// @vitest-environment jsdom
/**
 * The long tables (issue 20): scrolling the patient list froze for up to half a second a frame,
 * because every scroll step re-drew every row on screen, not only the rows coming into view.
 */
import { MantineProvider, Table } from '@mantine/core';
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stubMantineNeeds } from './node-dom.test-support';
import { VirtualTableBody } from './VirtualTableBody';

// jsdom lays nothing out: a row is given the height a real one has, and there is no
// ResizeObserver or matchMedia (Mantine asks for the colour scheme).
beforeAll(() => {
  const box = (top: number, height: number) =>
    ({ x: 0, y: top, top, left: 0, right: 0, bottom: top + height, width: 0, height }) as DOMRect;
  HTMLTableRowElement.prototype.getBoundingClientRect = () => box(0, 40);
  Object.defineProperty(HTMLTableRowElement.prototype, 'offsetHeight', { get: () => 40 });
  // The table body starts 100 px down the page, and moves up as the page scrolls.
  HTMLTableSectionElement.prototype.getBoundingClientRect = () => box(100 - window.scrollY, 0);
  stubMantineNeeds();
});
afterEach(cleanup);

const scrollTo = (y: number) =>
  act(() => {
    Object.defineProperty(window, 'scrollY', { value: y, configurable: true });
    window.dispatchEvent(new Event('scroll'));
  });

describe('VirtualTableBody', () => {
  it('draws only the rows coming into view when the page scrolls, not again those on screen', async () => {
    const drawn = new Map<number, number>();
    const cells = (i: number) => {
      drawn.set(i, (drawn.get(i) ?? 0) + 1);
      return <Table.Td>Patient {i}</Table.Td>;
    };
    const rowKey = (i: number) => `p${i}`;
    const { container } = render(
      <MantineProvider>
        <Table aria-label="Patients">
          <VirtualTableBody count={2000} columns={1} rowHeight={40} rowKey={rowKey} uniform>
            {cells}
          </VirtualTableBody>
        </Table>
      </MantineProvider>,
    );
    const shown = () =>
      [...container.querySelectorAll('tr[data-index]')].map((r) =>
        Number(r.getAttribute('data-index')),
      );
    expect(shown()).toContain(0);
    expect(shown().length).toBeLessThan(60);
    drawn.clear();

    // Ten rows down, then ten more: the rows that stay on screen are not drawn again.
    await scrollTo(500);
    await scrollTo(900);
    const rows = shown();
    expect(rows).toContain(20);
    expect(rows).not.toContain(0);
    const redrawn = rows.filter((i) => (drawn.get(i) ?? 0) > 1);
    expect(redrawn).toEqual([]);
    // Those that were on screen all along were not drawn at all.
    const stayed = rows.filter((i) => i < 20);
    expect(stayed.length).toBeGreaterThan(0);
    expect(stayed.filter((i) => drawn.has(i))).toEqual([]);
  });
});
