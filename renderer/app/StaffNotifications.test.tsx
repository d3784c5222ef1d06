// @vitest-environment jsdom
/**
 * Patient mode hands the tablet to a patient: no staff notice may show there (CI once found
 * "Maya Okafor saved" still up, covering the patient's form, in patient-mode.spec).
 */
import { MantineProvider } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stubMantineNeeds } from './node-dom.test-support';
import { PATIENT_MODE_KEY } from '../db/patient-mode-repository';
import { patientModeStorage } from '../features/patient-mode/patient-mode-store';
import { StaffNotifications } from './StaffNotifications';

beforeAll(() => stubMantineNeeds());

afterEach(() => {
  act(() => patientModeStorage.removeItem(PATIENT_MODE_KEY));
  act(() => notifications.clean());
  cleanup();
});

const show = (message: string) => act(() => void notifications.show({ message, autoClose: false }));

describe('StaffNotifications', () => {
  it('shows staff their notices', async () => {
    render(
      <MantineProvider>
        <StaffNotifications />
      </MantineProvider>,
    );
    show('Maya Okafor saved');
    expect(await screen.findByText('Maya Okafor saved')).toBeTruthy();
  });

  it('clears them when the tablet is handed over, and keeps a new one for staff until patient mode ends', async () => {
    render(
      <MantineProvider>
        <StaffNotifications />
      </MantineProvider>,
    );
    show('Jordan Lee saved');
    expect(await screen.findByText('Jordan Lee saved')).toBeTruthy();

    act(() => patientModeStorage.setItem(PATIENT_MODE_KEY, '{"patientId":"p1"}'));
    expect(screen.queryByText('Jordan Lee saved')).toBeNull();
    show('Sync could not reach the clinic server');
    expect(screen.queryByText('Sync could not reach the clinic server')).toBeNull();

    act(() => patientModeStorage.removeItem(PATIENT_MODE_KEY));
    expect(await screen.findByText('Sync could not reach the clinic server')).toBeTruthy();
    // what the patient's hand-over cleared is not brought back
    expect(screen.queryByText('Jordan Lee saved')).toBeNull();
  });
});
