/**
 * Patient name search without a plaintext index on disk: built in memory at sign-in by decrypting
 * every patient once, kept current from the store's change events, dropped at lock.
 */
import { type Patient, patientDisplayName } from '../../shared/model';
import type { RecordStore } from './record-store';

export type PatientSummary = Pick<
  Patient,
  | 'id'
  | 'firstName'
  | 'lastName'
  | 'preferredName'
  | 'dateOfBirth'
  | 'chartNumber'
  | 'active'
  | 'status'
> & { displayName: string; haystack: string[] };

export const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

function summarize(p: Patient): PatientSummary {
  const names = [p.firstName, p.lastName, p.preferredName ?? ''].flatMap((n) =>
    fold(n).split(/[\s'-]+/),
  );
  return {
    id: p.id,
    firstName: p.firstName,
    lastName: p.lastName,
    preferredName: p.preferredName,
    dateOfBirth: p.dateOfBirth,
    chartNumber: p.chartNumber,
    active: p.active,
    status: p.status,
    displayName: patientDisplayName(p),
    haystack: [...names.filter(Boolean), p.dateOfBirth, fold(p.chartNumber ?? '')].filter(Boolean),
  };
}

export class PatientIndex {
  private byId = new Map<string, PatientSummary>();
  private sorted: PatientSummary[] | null = null;
  private listeners = new Set<() => void>();
  version = 0;

  static async build(store: RecordStore): Promise<PatientIndex> {
    const index = new PatientIndex();
    for (const p of await store.listKind('patient')) index.byId.set(p.id, summarize(p));
    store.onChange((changes) => {
      const patients = changes.filter((c) => c.record.kind === 'patient');
      if (patients.length === 0) return;
      for (const c of patients) index.byId.set(c.record.id, summarize(c.record as Patient));
      index.touch();
    });
    return index;
  }

  get size() {
    return this.byId.size;
  }

  get(id: string) {
    return this.byId.get(id);
  }

  all(): PatientSummary[] {
    this.sorted ??= [...this.byId.values()].sort((a, b) =>
      a.displayName.localeCompare(b.displayName),
    );
    return this.sorted;
  }

  /**
   * Every word typed must match the start of a name part, the date of birth (any of
   * 1987-04-12 / 04/12/1987 / 12.04.1987 forms by digits) or the chart number.
   */
  search(query: string, limit = 50): PatientSummary[] {
    const words = fold(query).split(/\s+/).filter(Boolean);
    if (words.length === 0) return this.all().slice(0, limit);
    const out: PatientSummary[] = [];
    for (const p of this.all()) {
      if (words.every((w) => matches(p, w))) {
        out.push(p);
        if (out.length >= limit) break;
      }
    }
    return out;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private touch() {
    this.sorted = null;
    this.version++;
    for (const l of this.listeners) l();
  }
}

function matches(p: PatientSummary, word: string): boolean {
  if (p.haystack.some((h) => h.startsWith(word))) return true;
  const digits = word.replace(/\D/g, '');
  if (digits.length >= 4 && /^[\d/.-]+$/.test(word)) {
    const [y, m, d] = p.dateOfBirth.split('-') as [string, string, string];
    return [y + m + d, m + d + y, d + m + y].some((form) => form.startsWith(digits));
  }
  return false;
}
