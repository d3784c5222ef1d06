/** Small helpers for the dose screens: local date-time inputs and labels in the clinic's words. */
import type { Medication, Route } from '../../../shared/model';

/** ISO instant → the value of an <input type="datetime-local"> in the device's zone. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The value of a datetime-local input → ISO instant (undefined when empty or invalid). */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** A number input's value → number or undefined. */
export const num = (v: string | number): number | undefined =>
  v === '' || v === undefined || Number.isNaN(Number(v)) ? undefined : Number(v);

export const MEDICATION_LABELS: Record<Medication, string> = {
  'ketamine-hcl': 'Ketamine HCl (racemic)',
  'esketamine-nasal': 'Esketamine nasal spray',
};

export const ROUTE_LABELS: Record<Route, string> = {
  'iv-infusion': 'IV infusion',
  im: 'IM injection',
  intranasal: 'Intranasal',
  'sublingual-troche': 'Sublingual troche',
  'oral-tablet': 'Oral tablet',
};

export const medicationOptions = Object.entries(MEDICATION_LABELS).map(([value, label]) => ({
  value,
  label,
}));
export const routeOptions = Object.entries(ROUTE_LABELS).map(([value, label]) => ({
  value,
  label,
}));
