/**
 * Opening a chart (issue 20): the course and the panels beside it (measures due, alerts, trend,
 * chart search, new note) each read and decrypted every record of the patient, six reads before
 * the course could be drawn. Inside a PatientRecordsProvider they share one.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installNodeDom } from './node-dom.test-support';
import { addMaya, freshClinic } from '../db/test-support';
import { addUser } from '../db/auth';
import { RecordStore } from '../db/record-store';

await installNodeDom();
const { cleanup, render, waitFor } = await import('@testing-library/react');

let store: RecordStore;
vi.mock('./app-state', () => ({ useStore: () => store }));
const { PatientRecordsProvider, usePatientRecords } = await import('./use-records');
const { useRestrictedDays } = await import('./use-restricted-days');

afterEach(cleanup);

function Panel({ patientId, name }: { patientId: string; name: string }) {
  const records = usePatientRecords(patientId);
  return <p>{records ? `${name}: ${records.length} records` : `${name}: loading`}</p>;
}

describe('usePatientRecords', () => {
  it('reads a patient once for every panel of the chart', async () => {
    ({ store } = await freshClinic());
    const maya = await addMaya(store);
    const read = vi.spyOn(store, 'patientChart');
    const screen = render(
      <PatientRecordsProvider patientId={maya.id}>
        <Panel patientId={maya.id} name="course" />
        <Panel patientId={maya.id} name="measures" />
        <Panel patientId={maya.id} name="search" />
      </PatientRecordsProvider>,
    );
    await waitFor(() => expect(screen.queryAllByText(/: 1 records/)).toHaveLength(3));
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('brings the days with records this role may not read in the same read', async () => {
    const c = await freshClinic();
    const maya = await addMaya(c.store);
    await c.store.create('note', {
      patientId: maya.id,
      templateId: 'soap',
      title: 'Dosing session',
      sections: {},
      timeline: [],
    });
    const jordan = await addUser(c.store, {
      displayName: 'Jordan',
      username: 'jordan',
      roles: ['practice-manager'],
      passphrase: 'a long enough passphrase for tests',
    });
    store = new RecordStore(c.db, { ...c.session, user: jordan });
    const reads = vi.spyOn(store.db.records, 'where');
    function Course() {
      const records = usePatientRecords(maya.id);
      const days = useRestrictedDays(maya.id);
      return records && days ? <p>{`${records.length} read, ${days.size} restricted`}</p> : null;
    }
    const screen = render(
      <PatientRecordsProvider patientId={maya.id}>
        <Course />
      </PatientRecordsProvider>,
    );
    // The manager reads the patient, not the note: its day is restricted.
    await waitFor(() => expect(screen.getByText('1 read, 1 restricted')).toBeTruthy());
    expect(reads.mock.calls.filter(([index]) => String(index) === 'patientId')).toHaveLength(1);
  });

  it('still reads another patient on its own', async () => {
    ({ store } = await freshClinic());
    const maya = await addMaya(store);
    const other = await store.create('patient', {
      ...(await store.get('patient', maya.id))!,
      id: undefined,
    } as never);
    const screen = render(
      <PatientRecordsProvider patientId={maya.id}>
        <Panel patientId={other.id} name="other" />
      </PatientRecordsProvider>,
    );
    await waitFor(() => expect(screen.getByText('other: 1 records')).toBeTruthy());
  });
});
