import { Badge, Tooltip, VisuallyHidden } from '@mantine/core';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { programName } from '../../../shared/rules/consent-packets';
import { useStore } from '../../app/app-state';
import { listPackets } from '../../db/consent-packets-repository';
import { STATE_COLORS, STATE_LABELS } from './consent-labels';
import { type ConsentSummary, consentSummaries } from './consent-summary';

/** Consent status of every patient in a program, for the patient list (one live query). */
export function useConsentSummaries(): Map<string, ConsentSummary> | undefined {
  const store = useStore();
  return useLiveQuery(async () => {
    if (!store.canRead('signed-consent') || !store.canRead('appointment')) return new Map();
    const [consents, appointments, templates, packets] = await Promise.all([
      store.listKind('signed-consent'),
      store.listKind('appointment'),
      store.listKind('consent-template'),
      listPackets(store),
    ]);
    const summaries = consentSummaries({
      consents,
      appointments,
      templates,
      packets,
      at: new Date(),
    });
    for (const s of summaries.values())
      for (const p of s.programs) p.name = programName(packets, p.program);
    return summaries;
  }, [store]);
}

export function ConsentStatusCell({ summary }: { summary?: ConsentSummary }) {
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
