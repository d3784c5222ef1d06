import type { Page } from '@playwright/test';

export type DemoIds = Record<string, string>;

/**
 * Ids of real records of the demo clinic, read from the browser's IndexedDB (ids and kinds are
 * stored in the clear; nothing else is): a patient with a note, and one record of each kind.
 */
export async function demoIds(page: Page): Promise<DemoIds> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('kat-chart');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const rows = await new Promise<{ id: string; kind: string; patientId: string }[]>(
      (res, rej) => {
        const r = db.transaction('records').objectStore('records').getAll();
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      },
    );
    db.close();
    const note = rows.find((r) => r.kind === 'note')!;
    const of = (kind: string) =>
      rows.find((r) => r.kind === kind && r.patientId === note.patientId)?.id ??
      rows.find((r) => r.kind === kind)?.id ??
      '01890000-0000-7000-8000-000000000000';
    return {
      id: note.patientId,
      noteId: note.id,
      summaryId: of('integration-summary'),
      measureId: of('measure'),
      consent: of('signed-consent'),
      eligibility: of('eligibility'),
      dose: of('dose'),
      home: of('home-prescription'),
    };
  });
}
