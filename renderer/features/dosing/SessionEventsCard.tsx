import {
  Button,
  Card,
  Checkbox,
  Group,
  List,
  NumberInput,
  Select,
  SimpleGrid,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { ADVERSE_EVENT_KINDS, type DoseRecord } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { errorMessage, formatTime } from '../../app/format';
import { addAdverseEvent, addObservation } from '../../db/dose-repository';
import { num } from './dose-form';
import { KeptDraftNotice } from './KeptDraftNotice';
import { useValueDraft } from './use-value-draft';

// MOAA/S (Chernik et al., 1990): 5 responds readily to name … 0 no response to painful stimulus.
const MOAAS = [
  '5 — responds readily to name',
  '4 — lethargic response to name',
  '3 — responds only to loud name',
  '2 — responds only to prodding',
  '1 — responds only to trapezius squeeze',
  '0 — no response',
].map((label) => ({ value: label[0]!, label }));

const NO_OBSERVATION = { moaas: null, note: '' };
const NO_ADVERSE_EVENT = {
  kind: null,
  severity: null,
  serious: false,
  intervention: '',
  description: '',
};

/** Sedation (MOAA/S) and dissociation (CADSS) observations, and adverse events. */
export function SessionEventsCard(props: { dose: DoseRecord; readOnly: boolean }) {
  const { dose, readOnly } = props;
  const store = useStore();
  const [obs, setObs] = useState<{ moaas: string | null; cadss?: number; note: string }>(
    NO_OBSERVATION,
  );
  const [ae, setAe] = useState<{
    kind: string | null;
    severity: string | null;
    serious: boolean;
    intervention: string;
    description: string;
  }>(NO_ADVERSE_EVENT);
  // What was typed but not yet added survives reload, crash and auto-lock.
  const obsDraft = useValueDraft(`dose-observation:${dose.id}`, obs, setObs, !readOnly);
  const aeDraft = useValueDraft(`dose-adverse-event:${dose.id}`, ae, setAe, !readOnly);
  const [failure, setFailure] = useState<string>();

  const run = async (fn: () => Promise<unknown>, reset: () => void) => {
    setFailure(undefined);
    try {
      await fn();
      reset();
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };

  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        Observations and adverse events
      </Title>
      <KeptDraftNotice at={obsDraft.restoredAt ?? aeDraft.restoredAt} />
      <List size="sm" mb="sm" aria-label="Observations">
        {dose.observations.map((o) => (
          <List.Item key={o.at}>
            {formatTime(o.at)} · {o.moaas !== undefined ? `MOAA/S ${o.moaas}` : ''}
            {o.cadss !== undefined ? ` · CADSS ${o.cadss}` : ''}
            {o.note ? ` · ${o.note}` : ''}
          </List.Item>
        ))}
        {dose.adverseEvents.map((a) => (
          <List.Item key={a.at + a.kind}>
            {formatTime(a.at)} · Adverse event: {a.kind.replace('-', ' ')} ({a.severity}
            {a.serious ? ', serious' : ''}){a.intervention ? ` — ${a.intervention}` : ''}
          </List.Item>
        ))}
      </List>
      {!readOnly && (
        <>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label="Sedation (MOAA/S)"
              data={MOAAS}
              value={obs.moaas}
              onChange={(v) => setObs({ ...obs, moaas: v })}
            />
            <NumberInput
              label="Dissociation (CADSS)"
              min={0}
              max={92}
              value={obs.cadss ?? ''}
              onChange={(v) => setObs({ ...obs, cadss: num(v) })}
            />
            <TextInput
              label="Observation note"
              value={obs.note}
              onChange={(e) => setObs({ ...obs, note: e.currentTarget.value })}
            />
          </SimpleGrid>
          <Group justify="flex-end" mt="xs">
            <Button
              variant="default"
              onClick={() =>
                void run(
                  () =>
                    addObservation(store, dose.id, {
                      at: new Date().toISOString(),
                      moaas: obs.moaas === null ? undefined : Number(obs.moaas),
                      cadss: obs.cadss,
                      note: obs.note.trim() || undefined,
                    }),
                  () => {
                    setObs(NO_OBSERVATION);
                    void obsDraft.clear(NO_OBSERVATION);
                  },
                )
              }
            >
              Add observation
            </Button>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 3 }} mt="sm">
            <Select
              label="Adverse event"
              data={ADVERSE_EVENT_KINDS.map((k) => ({ value: k, label: k.replace('-', ' ') }))}
              value={ae.kind}
              onChange={(v) => setAe({ ...ae, kind: v })}
            />
            <Select
              label="Severity"
              data={['mild', 'moderate', 'severe']}
              value={ae.severity}
              onChange={(v) => setAe({ ...ae, severity: v })}
            />
            <TextInput
              label="What was done"
              value={ae.intervention}
              onChange={(e) => setAe({ ...ae, intervention: e.currentTarget.value })}
            />
          </SimpleGrid>
          <Group justify="space-between" mt="xs">
            <Checkbox
              label="Serious adverse event"
              checked={ae.serious}
              onChange={(e) => setAe({ ...ae, serious: e.currentTarget.checked })}
            />
            <Button
              variant="default"
              onClick={() =>
                void run(
                  () =>
                    addAdverseEvent(store, dose.id, {
                      at: new Date().toISOString(),
                      kind: ae.kind ?? undefined,
                      severity: ae.severity ?? undefined,
                      serious: ae.serious,
                      intervention: ae.intervention.trim() || undefined,
                    }),
                  () => {
                    setAe(NO_ADVERSE_EVENT);
                    void aeDraft.clear(NO_ADVERSE_EVENT);
                  },
                )
              }
            >
              Add adverse event
            </Button>
          </Group>
          {failure && (
            <Text c="red.9" size="sm" role="alert">
              {failure}
            </Text>
          )}
        </>
      )}
    </Card>
  );
}
