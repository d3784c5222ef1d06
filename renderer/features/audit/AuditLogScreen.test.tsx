/**
 * The audit log at a large clinic (issue 20): with 119,100 events the screen read and described
 * every one of them before it drew its first row (2.4 s). The newest page is now read by index
 * and drawn first; the rest follows.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DBCore } from 'dexie';
import { addMaya, freshClinic } from '../../db/test-support';
import type { RecordStore } from '../../db/record-store';
import { PatientIndex } from '../../db/patient-index';
import { formatDateTime } from '../../app/format';

// A DOM for React, without jsdom's environment replacing Node's typed arrays and encoders (the
// store's WebCrypto refuses buffers from jsdom's realm). Visual, for requestAnimationFrame.
const jsdom = 'jsdom'; // no type declarations installed; only its JSDOM class is used
const { JSDOM } = (await import(jsdom)) as {
  JSDOM: new (
    html: string,
    options: { pretendToBeVisual: boolean },
  ) => { window: Window & typeof globalThis };
};
const dom = new JSDOM('<!doctype html><body></body>', { pretendToBeVisual: true });
const win = dom.window;
// Mantine asks for the colour scheme and watches sizes; jsdom has neither.
// jsdom lays nothing out: rows get a real row's height, the table starts at the top of the page.
const box = (top: number, height: number) =>
  ({ x: 0, y: top, top, left: 0, right: 0, bottom: top + height, width: 0, height }) as DOMRect;
win.HTMLTableRowElement.prototype.getBoundingClientRect = () => box(0, 41);
win.HTMLTableSectionElement.prototype.getBoundingClientRect = () => box(0, 0);
Object.defineProperty(win.HTMLTableRowElement.prototype, 'offsetHeight', { get: () => 41 });
win.scrollTo = () => {};
win.matchMedia = (query: string) =>
  ({
    matches: false,
    media: query,
    addEventListener() {},
    removeEventListener() {},
  }) as unknown as MediaQueryList;
// jsdom's DOM classes (Element, Node, HTMLTableRowElement…) where Node has none of its own.
for (const name of Object.getOwnPropertyNames(win))
  if (/^[A-Z]/.test(name) && !(name in globalThis))
    Object.assign(globalThis, { [name]: (win as unknown as Record<string, unknown>)[name] });
Object.assign(globalThis, {
  window: win,
  document: win.document,
  navigator: win.navigator,
  HTMLElement: win.HTMLElement,
  MutationObserver: win.MutationObserver,
  requestAnimationFrame: win.requestAnimationFrame.bind(win),
  cancelAnimationFrame: win.cancelAnimationFrame.bind(win),
  getComputedStyle: win.getComputedStyle.bind(win),
  ResizeObserver: class {
    observe() {}
    unobserve() {}
    disconnect() {}
  },
  IS_REACT_ACT_ENVIRONMENT: true,
});
const { cleanup, fireEvent, render, waitFor } = await import('@testing-library/react');
const { MantineProvider } = await import('@mantine/core');

let store: RecordStore;
let patients: PatientIndex;
vi.mock('../../app/app-state', () => ({
  useStore: () => store,
  useAppState: () => ({ store, patients }),
}));
const { AuditLogScreen } = await import('./AuditLogScreen');
const { FIRST_AUDIT_PAGE } = await import('./use-audit-log');

afterEach(async () => {
  cleanup();
  await store?.db.delete();
});

/** Counts the audit rows IndexedDB hands back, from the next open of the database on. */
function countAuditRowsRead(s: RecordStore) {
  const read = { rows: 0 };
  s.db.use({
    stack: 'dbcore',
    name: 'count-audit-rows',
    create: (down: DBCore): DBCore => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        if (name !== 'audit') return table;
        return {
          ...table,
          query: async (req) => {
            const res = await table.query(req);
            if (req.values) read.rows += res.result.length;
            return res;
          },
          getMany: async (req) => {
            const res = await table.getMany(req);
            read.rows += res.length;
            return res;
          },
        };
      },
    }),
  });
  return read;
}

/** A clinic with `n` more events than its own, a minute apart, the newest a minute ago. */
async function clinicWithEvents(n: number) {
  const c = await freshClinic();
  store = c.store;
  const maya = await addMaya(store);
  const now = Date.now();
  await store.db.audit.bulkAdd(
    Array.from({ length: n }, (_, i) => ({
      id: `evt-${String(i).padStart(5, '0')}`,
      at: new Date(now - (i + 1) * 60_000).toISOString(),
      userId: c.session.user.id,
      deviceId: c.session.deviceId,
      action: 'view' as const,
      recordKind: 'patient',
      recordId: maya.id,
      patientId: maya.id,
    })),
  );
  patients = await PatientIndex.build(store);
  const read = countAuditRowsRead(store);
  store.db.close();
  await store.db.open();
  // the reviewer's own "Opened the audit log" is one more
  return { read, total: (await store.db.audit.count()) + 1, oldestAt: now - n * 60_000 };
}

/** fake-indexeddb and jsdom on a shared 2-core machine: seconds, not the 1 s default. */
const LONG = { timeout: 15_000 };

const screenOf = () =>
  render(
    <MantineProvider>
      <AuditLogScreen />
    </MantineProvider>,
  );

describe('the audit log at a large clinic', () => {
  it('draws the newest events after reading one page of them, then reads the rest', async () => {
    const { read, total, oldestAt } = await clinicWithEvents(FIRST_AUDIT_PAGE * 3);
    // What had been read when the first event row appeared (observed before any timer runs).
    let atFirstDraw: { rows: number; status: string } | undefined;
    const watch = new MutationObserver(() => {
      if (atFirstDraw || !document.querySelector('table[aria-label="Audit events"] tbody td'))
        return;
      const status = [...document.querySelectorAll('[role="status"]')].map((s) => s.textContent);
      atFirstDraw = { rows: read.rows, status: status.join(' | ') };
    });
    watch.observe(document.body, { childList: true, subtree: true, characterData: true });
    const screen = screenOf();
    await waitFor(() => expect(atFirstDraw).toBeDefined(), LONG);
    watch.disconnect();
    expect(atFirstDraw!.rows).toBeLessThanOrEqual(FIRST_AUDIT_PAGE);
    // The reviewer is told the older events are still coming.
    expect(atFirstDraw!.status).toContain(
      `The newest ${FIRST_AUDIT_PAGE} events · loading older events…`,
    );

    await waitFor(() => expect(screen.getByText(`${total} events`)).toBeTruthy(), LONG);
    const table = screen.getByRole('table', { name: 'Audit events' });
    expect(table.getAttribute('aria-rowcount')).toBe(String(total + 1));
    // Every row is now there to sort: the oldest first.
    fireEvent.click(screen.getByRole('button', { name: /When/ }));
    await waitFor(
      () => expect(table.querySelector('th[aria-sort="ascending"]')?.textContent).toMatch(/When/),
      LONG,
    );
    const oldest = formatDateTime(new Date(oldestAt).toISOString());
    await waitFor(
      () => expect(table.querySelector('tr[data-index="0"]')?.textContent).toContain(oldest),
      LONG,
    );
    expect(screen.getByRole('button', { name: 'Export CSV' }).hasAttribute('disabled')).toBe(false);
  }, 90_000);

  it('reads a small log once, whole', async () => {
    const { read, total } = await clinicWithEvents(10);
    const screen = screenOf();
    await waitFor(() => expect(screen.getByText(`${total} events`)).toBeTruthy(), LONG);
    expect(read.rows).toBe(total);
  }, 60_000);

  it('is itself in the log: one "Opened the audit log" event per visit, by the reviewer', async () => {
    await clinicWithEvents(10);
    const opened = () => store.db.audit.where('action').equals('audit-viewed').toArray();
    expect(await opened()).toHaveLength(0);
    const screen = screenOf();
    // the reviewer sees it at the top of the log
    await waitFor(
      () =>
        expect(
          screen.getByRole('table', { name: 'Audit events' }).querySelector('tr[data-index="0"]')
            ?.textContent,
        ).toContain('Opened the audit log'),
      LONG,
    );
    const events = await opened();
    expect(events).toHaveLength(1);
    expect(events[0]!.userId).toBe(store.session.user.id);
    // a second look, not a second event; leaving and coming back is another visit
    screen.rerender(
      <MantineProvider>
        <AuditLogScreen />
      </MantineProvider>,
    );
    expect(await opened()).toHaveLength(1);
    screen.unmount();
    screenOf();
    await waitFor(async () => expect(await opened()).toHaveLength(2), LONG);
  }, 60_000);
});
