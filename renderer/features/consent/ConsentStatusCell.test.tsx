/**
 * The patient list's consent column (issue 20): each row reads its own patient's consents and
 * visits when it is drawn. The list used to read and decrypt every signed consent of the clinic
 * as it opened (11,542 at 2,000 patients), and the search keystrokes waited behind it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installNodeDom } from '../../app/node-dom.test-support';
import { addMaya, freshClinic } from '../../db/test-support';
import type { RecordStore } from '../../db/record-store';

await installNodeDom();
const { cleanup, render, waitFor } = await import('@testing-library/react');
const { MantineProvider } = await import('@mantine/core');

let store: RecordStore;
vi.mock('../../app/app-state', () => ({ useStore: () => store }));
const { ConsentStatusCell, useConsentBasis } = await import('./ConsentStatusCell');

afterEach(cleanup);

/** Rows as the list draws them: one basis for the table, one cell per row on screen. */
function Rows({ patientIds }: { patientIds: string[] }) {
  const basis = useConsentBasis();
  return (
    <MantineProvider>
      {patientIds.map((id) => (
        <p key={id} data-testid={id}>
          <ConsentStatusCell patientId={id} basis={basis} />
        </p>
      ))}
    </MantineProvider>
  );
}

async function clinicOfThree() {
  ({ store } = await freshClinic());
  const maya = await addMaya(store);
  const lee = await store.create('patient', { ...MAYA_LIKE, firstName: 'Lee' });
  const kim = await store.create('patient', { ...MAYA_LIKE, firstName: 'Kim' });
  // Maya is booked for an esketamine visit next week and has signed none of its forms.
  await store.create('appointment', {
    patientId: maya.id,
    clinicianId: store.session.user.id,
    start: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    durationMinutes: 120,
    visitKind: 'dosing',
    program: 'esketamine',
    cancelled: false,
  });
  return { maya, lee, kim };
}
const MAYA_LIKE = {
  lastName: 'Okafor',
  dateOfBirth: '1990-01-01',
  sexAtBirth: 'female' as const,
  active: true,
};

describe('the patient list consent column', () => {
  it('shows each drawn row its own status, reading only the patients drawn', async () => {
    const { maya, lee, kim } = await clinicOfThree();
    const wholeKind = vi.spyOn(store, 'listKind');
    const byPatient = vi.spyOn(store, 'listByPatient');
    const screen = render(<Rows patientIds={[maya.id, lee.id]} />);
    await waitFor(() => expect(screen.getByTestId(maya.id).textContent).toMatch(/^Missing/));
    expect(screen.getByTestId(maya.id).textContent).toContain('Esketamine nasal spray: missing');
    await waitFor(() => expect(screen.getByTestId(lee.id).textContent).toBe('—'));

    expect(wholeKind.mock.calls.map(([kind]) => kind)).not.toContain('signed-consent');
    expect(wholeKind.mock.calls.map(([kind]) => kind)).not.toContain('appointment');
    const asked = new Set(byPatient.mock.calls.map(([, patientId]) => patientId));
    expect(asked).toEqual(new Set([maya.id, lee.id]));
    expect(asked.has(kim.id)).toBe(false);
  });

  it('changes a row when that patient’s visit is cancelled', async () => {
    const { maya } = await clinicOfThree();
    const screen = render(<Rows patientIds={[maya.id]} />);
    await waitFor(() => expect(screen.getByTestId(maya.id).textContent).toMatch(/^Missing/));
    const [visit] = await store.listByPatient('appointment', maya.id);
    await store.update('appointment', visit!.id, () => ({ cancelled: true }));
    await waitFor(() => expect(screen.getByTestId(maya.id).textContent).toBe('—'));
  });
});
