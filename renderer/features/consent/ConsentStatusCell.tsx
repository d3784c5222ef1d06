import { Badge, Tooltip, VisuallyHidden } from '@mantine/core';
import { useLiveQuery } from 'dexie-react-hooks';
import { useStore } from '../../app/app-state';
import { clinicPackets } from '../../db/consent-repository';
import { STATE_COLORS, STATE_LABELS } from './consent-labels';
import { type ConsentSummary, consentSummaries } from './consent-summary';

/** Consent status of every patient in a program, for the patient list (one live query). */
export function useConsentSummaries(): Map<string, ConsentSummary> | undefined {
  const store = useStore();
  return useLiveQuery(async () => {
    if (!store.canRead('signed-consent') || !store.canRead('appointment')) return new Map();
    const [consents, appointments, templates] = await Promise.all([
      store.listKind('signed-consent'),
      store.listKind('appointment'),
      store.listKind('consent-template'),
    ]);
    return consentSummaries({ consents, appointments, templates, at: new Date() });
  }, [store]);
}

const programName = (p: string) => clinicPackets().find((k) => k.program === p)?.name ?? p;

export function ConsentStatusCell({ summary }: { summary?: ConsentSummary }) {
  if (!summary) return <>—</>;
  const detail = summary.programs
    .map((p) => `${programName(p.program)}: ${STATE_LABELS[p.status].toLowerCase()}`)
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
