import { useMemo } from 'react';
import type { Appointment, Encounter, OutcomeMeasure } from '../../../shared/model';
import { usePatientRecords } from '../../app/use-records';

/** A patient's measures, visits and bookings, from the one live query of the chart. */
export function usePatientMeasures(patientId: string) {
  const records = usePatientRecords(patientId);
  return useMemo(() => {
    if (!records) return undefined;
    return {
      measures: records.filter((r): r is OutcomeMeasure => r.kind === 'measure'),
      encounters: records.filter((r): r is Encounter => r.kind === 'encounter'),
      appointments: records.filter((r): r is Appointment => r.kind === 'appointment'),
    };
  }, [records]);
}
