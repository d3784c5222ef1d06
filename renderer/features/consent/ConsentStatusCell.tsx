import { Badge, Tooltip, VisuallyHidden } from '@mantine/core';
import { useLiveQuery } from 'dexie-react-hooks';
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
  if (!summary) return <>—</>;
  const detail = summary.programs
    .map((p) => `${p.name ?? p.program}: ${STATE_LABELS[p.status].toLowerCase()}`)
    .join('; ');
  return (
    <>
      <Tooltip label={detail}>
        <Badge
          color={STATE_COLORS[summary.status]}
          variant="light"
          style={{ minWidth: 'max-content' }}
        >
          {STATE_LABELS[summary.status]}
        </Badge>
      </Tooltip>
      <VisuallyHidden>{detail}</VisuallyHidden>
    </>
  );
}
