import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { useLocation } from 'wouter';
import {
  type Encounter,
  type IntegrationSummary,
  type IntegrationSummaryBody,
  patientDisplayName,
} from '../../../shared/model';
import { ConfirmPassphraseDialog } from '../../app/ConfirmPassphraseDialog';
import { useStore } from '../../app/app-state';
import { errorMessage, formatDateTime } from '../../app/format';
import { usePatientRecords, useRecord } from '../../app/use-records';
import { saveIntegrationSummary, signIntegrationSummary } from '../../db/notes-repository';
import { useHandout } from './use-handout';

type Fields = Omit<IntegrationSummaryBody, 'patientId' | 'encounterId' | 'dosingEncounterId'>;
const PRACTICES = [
  ['breathwork', 'Breathwork'],
  ['meditation', 'Meditation'],
  ['journaling', 'Journaling'],
  ['movement', 'Movement'],
  ['nature', 'Time in nature'],
  ['other', 'Other'],
] as const;
const EMPTY: Fields = {
  insights: '',
  themes: [],
  emotions: '',
  bodySensations: '',
  goals: '',
  practices: [],
  nextSteps: '',
  clinicianNotes: '',
};
const TEXTS = [
  ['insights', 'Insights', 'What the patient understood or realised, in their words'],
  ['emotions', 'Emotions', ''],
  ['bodySensations', 'Body sensations', ''],
  ['goals', 'Goals', ''],
  ['nextSteps', 'Next steps', 'What the patient will do before the next visit'],
] as const;

/** `<input type="datetime-local">` works in local wall time; the record stores an instant. */
const toLocalInput = (iso?: string) => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

export function IntegrationSummaryScreen(props: { patientId: string; summaryId: string }) {
  const existing = useRecord(
    'integration-summary',
    props.summaryId === 'new' ? undefined : props.summaryId,
  );
  if (props.summaryId !== 'new' && existing === undefined)
    return <Loader aria-label="Opening summary" />;
  if (props.summaryId !== 'new' && existing === null)
    return <Text>That summary could not be found.</Text>;
  return (
    <SummaryEditor
      key={existing?.id ?? 'new'}
      patientId={props.patientId}
      summary={existing ?? undefined}
    />
  );
}

function SummaryEditor({
  patientId,
  summary,
}: {
  patientId: string;
  summary?: IntegrationSummary;
}) {
  const store = useStore();
  const [, navigate] = useLocation();
  const patient = useRecord('patient', patientId);
  const records = usePatientRecords(patientId);
  const [fields, setFields] = useState<Fields>(() => (summary ? { ...EMPTY, ...summary } : EMPTY));
  const [failure, setFailure] = useState<string>();
  const [saved, setSaved] = useState(summary !== undefined);
  const [signing, setSigning] = useState(false);
  const readOnly = summary !== undefined && summary.status !== 'draft';

  // The dosing session this summary integrates: the one it names, else the latest before now.
  const dosing = useMemo(() => {
    const visits = (records ?? []).filter(
      (r): r is Encounter =>
        r.kind === 'encounter' && ['dosing', 'maintenance'].includes(r.visitKind),
    );
    return (
      visits.find((v) => v.id === summary?.dosingEncounterId) ??
      visits.sort((a, b) => b.start.localeCompare(a.start))[0]
    );
  }, [records, summary]);
  const sessionDate = dosing?.start ?? summary?.createdAt ?? new Date().toISOString();
  const handout = useHandout(patient ?? undefined, sessionDate);
  const set = <K extends keyof Fields>(k: K, v: Fields[K]) => {
    setSaved(false);
    setFields((f) => ({ ...f, [k]: v }));
  };

  const body = (): IntegrationSummaryBody => ({
    ...fields,
    patientId,
    ...(dosing ? { dosingEncounterId: dosing.id } : {}),
  });
  const save = async () => {
    setFailure(undefined);
    try {
      const record = await saveIntegrationSummary(store, summary?.id, body());
      setSaved(true);
      if (!summary) navigate(`/patients/${patientId}/integration/${record.id}`, { replace: true });
      return record;
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };
  /** A draft is saved first, so the handout always matches what the chart holds. */
  const makeHandout = async (how: 'print' | 'save') => {
    const record = readOnly ? summary : await save();
    if (record) await handout.make(how, record);
  };

  return (
    <Stack gap="md" maw={960}>
      <Anchor href={`#/patients/${patientId}`} size="sm">
        ← {patient ? patientDisplayName(patient) : 'Back to chart'}
      </Anchor>
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={2}>Integration summary</Title>
          <Text size="sm" c="dimmed">
            {dosing
              ? `After the dosing session of ${formatDateTime(dosing.start)}`
              : 'No dosing session charted yet'}
          </Text>
        </Stack>
        {summary && (
          <Badge size="lg" variant="light" color={summary.status === 'signed' ? 'teal' : 'yellow'}>
            {summary.status === 'signed' ? 'Signed' : 'Draft'}
          </Badge>
        )}
      </Group>

      <Card withBorder padding="lg">
        <Stack gap="md">
          {TEXTS.map(([key, label, hint]) => (
            <Textarea
              key={key}
              label={label}
              description={hint}
              autosize
              minRows={2}
              readOnly={readOnly}
              value={fields[key]}
              onChange={(e) => set(key, e.currentTarget.value)}
            />
          ))}
          <TagsInput
            label="Themes"
            description="Press Enter after each theme"
            readOnly={readOnly}
            value={fields.themes}
            onChange={(v) => set('themes', v)}
          />
          <Checkbox.Group
            label="Practices"
            value={fields.practices}
            onChange={(v) => set('practices', v as Fields['practices'])}
          >
            <Group gap="lg" mt={6}>
              {PRACTICES.map(([value, label]) => (
                <Checkbox key={value} value={value} label={label} disabled={readOnly} />
              ))}
            </Group>
          </Checkbox.Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              type="datetime-local"
              label="Next appointment"
              readOnly={readOnly}
              value={toLocalInput(fields.nextAppointment)}
              onChange={(e) => {
                const v = e.currentTarget.value;
                set('nextAppointment', v ? new Date(v).toISOString() : undefined);
              }}
            />
          </SimpleGrid>
          <Textarea
            label="Clinician notes"
            description="For the care team only — never printed on the patient handout"
            autosize
            minRows={2}
            readOnly={readOnly}
            value={fields.clinicianNotes}
            onChange={(e) => set('clinicianNotes', e.currentTarget.value)}
          />
        </Stack>
      </Card>

      {(failure || handout.failure) && (
        <Alert color="red" role="alert">
          {failure ?? handout.failure}
        </Alert>
      )}
      <Group justify="space-between">
        <Group gap="xs">
          {!readOnly && (
            <Button onClick={() => void save()}>{saved ? 'Saved' : 'Save summary'}</Button>
          )}
          {summary?.status === 'draft' && (
            <Button variant="default" onClick={() => setSigning(true)}>
              Sign summary
            </Button>
          )}
        </Group>
        {summary && (
          <Group gap="xs">
            <Button
              variant="default"
              loading={handout.busy === 'save'}
              onClick={() => void makeHandout('save')}
            >
              Save handout as PDF
            </Button>
            <Button
              variant="light"
              loading={handout.busy === 'print'}
              onClick={() => void makeHandout('print')}
            >
              Print patient handout
            </Button>
          </Group>
        )}
      </Group>
      <ConfirmPassphraseDialog
        opened={signing}
        title="Sign the integration summary"
        explanation="Signing stamps your name and the time and locks the summary."
        confirmLabel="Sign summary"
        onClose={() => setSigning(false)}
        onConfirmed={async () => {
          if (summary) await signIntegrationSummary(store, summary.id, body());
        }}
      />
    </Stack>
  );
}
