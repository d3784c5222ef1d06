import Dexie, { type Table } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { bulkGetExisting } from './bulk-read';

type Row = { id: string; n: number };
let db: Dexie & { rows: Table<Row, string> };
let count = 0;

async function tableWith(ids: string[]) {
  db = new Dexie(`bulk-read-${count++}`) as typeof db;
  db.version(1).stores({ rows: 'id' });
  await db.rows.bulkPut(ids.map((id, n) => ({ id, n })));
  return db.rows;
}

afterEach(async () => {
  await db.delete();
});

const id = (n: number) => `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('bulkGetExisting', () => {
  it('answers like bulkGet, in the order asked, for rows present, absent and asked twice', async () => {
    const rows = await tableWith([id(2), id(5), id(9)]);
    const asked = [id(9), id(1), id(5), id(7), id(5), id(12)];
    expect(await bulkGetExisting(rows, asked)).toEqual(await rows.bulkGet(asked));
    expect((await bulkGetExisting(rows, asked)).map((r) => r?.n)).toEqual([
      2,
      undefined,
      1,
      undefined,
      1,
      undefined,
    ]);
  });

  it('still finds every row when the asked range holds many other rows', async () => {
    const stored = Array.from({ length: 300 }, (_, i) => id(i));
    const rows = await tableWith(stored);
    const asked = [id(0), id(299), id(150), id(400)];
    expect((await bulkGetExisting(rows, asked)).map((r) => r?.id)).toEqual([
      id(0),
      id(299),
      id(150),
      undefined,
    ]);
  });

  it('reads nothing for an empty list', async () => {
    const rows = await tableWith([id(1)]);
    expect(await bulkGetExisting(rows, [])).toEqual([]);
  });
});
