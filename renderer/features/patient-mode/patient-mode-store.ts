/**
 * This computer's patient mode as React state: the repository keeps it in localStorage
 * (renderer/db/patient-mode-repository.ts); writes through `patientModeStorage` tell every screen,
 * and a change made in another window of this computer arrives by the storage event.
 */
import { useMemo, useSyncExternalStore } from 'react';
import type { PatientModeState } from '../../../shared/rules/patient-mode';
import {
  PATIENT_MODE_KEY,
  patientModeSet,
  type PatientModeStorage,
  readPatientMode,
} from '../../db/patient-mode-repository';

const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

function local(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // a locked-down profile: patient mode cannot be kept, so it is not offered
  }
}

export const patientModeStorage: PatientModeStorage = {
  getItem: (k) => local()?.getItem(k) ?? null,
  setItem: (k, v) => {
    local()?.setItem(k, v);
    emit();
  },
  removeItem: (k) => {
    local()?.removeItem(k);
    emit();
  },
};

function subscribe(l: () => void) {
  listeners.add(l);
  const onStorage = (e: StorageEvent) => {
    if (e.key === PATIENT_MODE_KEY || e.key === null) l();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(l);
    window.removeEventListener('storage', onStorage);
  };
}

/** Whether patient mode is on here (the shell's guard: set, even if unreadable). */
export function usePatientModeOn(): boolean {
  return useSyncExternalStore(subscribe, () => patientModeSet(patientModeStorage));
}

/** The raw stored value, so the parsed state is stable between renders. */
function useRaw() {
  return useSyncExternalStore(subscribe, () => patientModeStorage.getItem(PATIENT_MODE_KEY));
}

export function usePatientMode(): PatientModeState | undefined {
  const raw = useRaw();
  // parsed again only when the stored text changes
  return useMemo(
    () => (raw ? readPatientMode({ ...patientModeStorage, getItem: () => raw }) : undefined),
    [raw],
  );
}
