/** Live data for the dose screen: the record's safety findings and a clock for reminders. */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import type { DoseRecord } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { doseFindings, doseMoment } from '../../db/dose-repository';
import { inventoryView } from '../../db/inventory-repository';

export function useDoseFindings(dose: DoseRecord | null | undefined, now: Date) {
  const store = useStore();
  const minute = Math.floor(now.getTime() / 60_000);
  return useLiveQuery(async () => {
    if (!dose) return [];
    const now = new Date();
    return doseFindings(store, dose, doseMoment(dose, now), now);
  }, [store, dose, minute]);
}

export function useInventory() {
  const store = useStore();
  return useLiveQuery(
    async () => (store.canRead('inventory-lot') ? inventoryView(store) : undefined),
    [store],
  );
}

/** The current time, refreshed every `ms` (vitals reminders turn overdue on their own). */
export function useNow(ms = 15_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = window.setInterval(() => setNow(new Date()), ms);
    return () => window.clearInterval(t);
  }, [ms]);
  return now;
}
