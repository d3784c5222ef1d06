/**
 * Opening a `merge-conflict` sync issue from the sync panel: the record it concerns (a link, when
 * the person may read it) and, per field both computers changed, the value the record keeps beside
 * the other computer's, kept whole with the issue (renderer/db/sync-apply.ts).
 */
import type { RecordLinks } from '../app/contributions';
import { openRecordRow } from '../db/record-crypto';
import type { RecordStore } from '../db/record-store';
import type { SyncIssue } from '../db/sync-state';
import { fieldWords } from './merge';

export type ConflictView = {
  href?: string;
  fields: { label: string; kept: string; other: string }[];
};

export async function openConflict(
  store: RecordStore,
  issue: SyncIssue,
  links: RecordLinks,
): Promise<ConflictView> {
  if (!issue.recordId || !issue.lost) return { fields: [] };
  const kind = issue.lost.kind;
  const current = await store.get(kind, issue.recordId).catch(() => undefined);
  const other = await openRecordRow(
    { id: issue.recordId, ...issue.lost },
    store.session,
    store.session.clinicId,
  ).catch(() => undefined);
  const href = current
    ? (links[kind]?.(current) ?? (kind === 'patient' ? `/patients/${current.id}` : undefined))
    : undefined;
  const value = (r: unknown, f: string) => shown((r as Record<string, unknown> | undefined)?.[f]);
  return {
    ...(href ? { href } : {}),
    fields: (issue.fields ?? []).map((f) => {
      const words = fieldWords([f]);
      return {
        label: words.charAt(0).toUpperCase() + words.slice(1),
        kept: value(current, f),
        other: value(other, f),
      };
    }),
  };
}

function shown(v: unknown): string {
  if (v === undefined || v === null || v === '') return '(empty)';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const json = JSON.stringify(v);
  return json.length > 300 ? `${json.slice(0, 300)}…` : json;
}
