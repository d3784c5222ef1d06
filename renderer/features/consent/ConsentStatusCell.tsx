import { Badge, Tooltip, VisuallyHidden } from '@mantine/core';
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import type { TemplateLike } from '../../../shared/rules/consent';
import { type PacketLike, programName } from '../../../shared/rules/consent-packets';
import { useStore } from '../../app/app-state';
import { listPackets } from '../../db/consent-packets-repository';
import type { RecordStore } from '../../db/record-store';
import { STATE_COLORS, STATE_LABELS } from './consent-labels';
import { type ConsentSummary, consentSummaries } from './consent-summary';

/** What every row's status is judged against: the clinic's templates and packets (a few dozen). */
export type ConsentBasis = { templates: TemplateLike[]; packets: PacketLike[] };

/**
 * The basis for the patient list's consent column, or null where this user's role may read no
 * signed consents or appointments (the column then shows nothing, and no row asks).
 */
export function useConsentBasis(): ConsentBasis | null | undefined {
  const store = useStore();
  return useLiveQuery(async () => {
    if (!store.canRead('signed-consent') || !store.canRead('appointment')) return null;
    const [templates, packets] = await Promise.all([
      store.listKind('consent-template'),
      listPackets(store),
    ]);
    return { templates, packets };
  }, [store]);
}

/** How long a row is on screen before its consent status is read. */
const SETTLE_MS = 200;

/** The last status drawn for each patient, so a row scrolled back into view shows it at once. */
const drawn = new WeakMap<RecordStore, Map<string, ConsentSummary | null>>();

/**
 * One patient's consent status, read for that row alone (by the [kind+patientId] index) when it
 * is drawn. Issue 20: the list read and decrypted every signed consent of the clinic (11,542 at
 * 2,000 patients) as it opened, and those long frames landed on the first search keystrokes
 * (p95 1,225 ms against 40 ms without that read).
 */
function useConsentSummary(
  patientId: string,
  basis: ConsentBasis | null | undefined,
): ConsentSummary | null | undefined {
  const store = useStore();
  const known = drawn.get(store) ?? new Map<string, ConsentSummary | null>();
  drawn.set(store, known);
  // Read once the row has stayed on screen a moment: a row scrolled past (or a keystroke's
  // results replaced at once) asks nothing. Reading every row the wheel passed over drew 114
  // frames over 50 ms while scrolling the 2,000 patients (bench, 7 Dec).
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(true), SETTLE_MS);
    return () => clearTimeout(timer);
  }, []);
  return useLiveQuery(
    async () => {
      if (!basis || !settled) return basis === null ? null : known.get(patientId);
      const [consents, appointments] = await Promise.all([
        store.listByPatient('signed-consent', patientId),
        store.listByPatient('appointment', patientId),
      ]);
      const summary =
        consentSummaries({ consents, appointments, ...basis, at: new Date() }).get(patientId) ??
        null;
      if (summary) for (const p of summary.programs) p.name = programName(basis.packets, p.program);
      known.set(patientId, summary);
      return summary;
    },
    [store, patientId, basis, settled],
    known.get(patientId),
  );
}

/** The patient list's consent column for one patient. */
export function ConsentStatusCell({
  patientId,
  basis,
}: {
  patientId: string;
  basis: ConsentBasis | null | undefined;
}) {
  const summary = useConsentSummary(patientId, basis);
  if (summary === undefined) return <span aria-busy="true" />; // being read: neither yes nor no
  return <ConsentStatusBadge summary={summary ?? undefined} />;
}

function ConsentStatusBadge({ summary }: { summary?: ConsentSummary }) {
  // The tooltip is set up when the pointer first comes over the badge, not for every row drawn:
  // Mantine's Tooltip was the costliest part of a patient row (issue 20, scrolling profile).
  const [pointed, setPointed] = useState(false);
  if (!summary) return <>—</>;
  const detail = summary.programs
    .map((p) => `${p.name ?? p.program}: ${STATE_LABELS[p.status].toLowerCase()}`)
    .join('; ');
  const badge = (
    <Badge
      color={STATE_COLORS[summary.status]}
      variant="light"
      style={{ minWidth: 'max-content' }}
      onMouseEnter={pointed ? undefined : () => setPointed(true)}
    >
      {STATE_LABELS[summary.status]}
    </Badge>
  );
  return (
    <>
      {pointed ? (
        <Tooltip label={detail} defaultOpened>
          {badge}
        </Tooltip>
      ) : (
        badge
      )}
      <VisuallyHidden>{detail}</VisuallyHidden>
    </>
  );
}
