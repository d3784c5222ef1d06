import {
  Alert,
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
import { useAuditedRead } from '../audit/use-audited-read';
import { useMemo, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import {
  type Encounter,
  type IntegrationSummary,
  type IntegrationSummaryBody,
} from '../../../shared/model';
import { ConfirmPassphraseDialog } from '../../app/ConfirmPassphraseDialog';
import { useStore } from '../../app/app-state';
import { formatDateTime } from '../../app/format';
import { usePatientRecords, useRecord } from '../../app/use-records';
import { signIntegrationSummary } from '../../db/notes-repository';
import { SummaryConflictAlert, SummarySaveBadge } from './SummarySaveStatus';
import { type SummaryFields, pickFields, useSummaryAutosave } from './use-summary-autosave';
import { PatientBanner } from '../chart/PatientBanner';
import { useHandout } from './use-handout';
import { PlanGoalsCard } from '../treatment-plan/PlanGoalsCard';

type Fields = SummaryFields;
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
  // The id a "new" editor created by autosaving: the URL changes to it, the editor stays mounted
  // (remounting would drop whatever was typed while the first save was under way).
  const adopted = useRef<string>(undefined);
  const own = adopted.current !== undefined && adopted.current === props.summaryId;
  const existing = useRecord(
    'integration-summary',
    props.summaryId === 'new' ? undefined : props.summaryId,
  );
  useAuditedRead('integration-summary', props.summaryId, props.patientId, !!existing && !own);
  if (!own && props.summaryId !== 'new' && existing === undefined)
    return <Loader role="status" aria-label="Opening summary" />;
  if (!own && props.summaryId !== 'new' && existing === null)
    return <Text>That summary could not be found.</Text>;
  return (
    <SummaryEditor
      key={own ? 'new' : (existing?.id ?? 'new')}
      patientId={props.patientId}
      summary={existing ?? undefined}
      onCreated={(id) => (adopted.current = id)}
    />
  );
}

function SummaryEditor({
  patientId,
  summary,
  onCreated,
}: {
  patientId: string;
  summary?: IntegrationSummary;
  onCreated: (id: string) => void;
}) {
  const store = useStore();
  const [, navigate] = useLocation();
  const patient = useRecord('patient', patientId);
  const records = usePatientRecords(patientId);
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
  const body = (f: Fields): IntegrationSummaryBody => ({
    ...f,
    patientId,
    ...(dosing ? { dosingEncounterId: dosing.id } : {}),
  });
  const autosave = useSummaryAutosave({
    summary,
    initial: summary ? pickFields(summary, EMPTY) : EMPTY,
    empty: EMPTY,
    bodyOf: body,
    readOnly,
    onCreated: (record) => {
      onCreated(record.id);
      navigate(`/patients/${patientId}/integration/${record.id}`, { replace: true });
    },
  });
  const { fields, set, flush } = autosave;
  const blur = () => void flush();
  const failure = autosave.state === 'failed' ? autosave.failure : undefined;

  /** What is on screen is saved first, so the handout always matches what the chart holds. */
  const makeHandout = async (how: 'print' | 'save') => {
    if (!readOnly) await flush();
    const id = summary?.id ?? autosave.id.current;
    const record = id ? await store.get('integration-summary', id) : undefined;
    if (record) await handout.make(how, record);
  };

  return (
    <Stack gap="md" maw={960}>
      <PatientBanner patientId={patientId} />
      {handout.dialog}
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={2}>Integration summary</Title>
          <Text size="sm" c="dimmed">
            {dosing
              ? `After the dosing session of ${formatDateTime(dosing.start)}`
              : 'No dosing session charted yet'}
          </Text>
        </Stack>
        <Group gap="xs">
          {!readOnly && <SummarySaveBadge state={autosave.state} />}
          {summary && (
            <Badge
              size="lg"
              variant="light"
              color={summary.status === 'signed' ? 'teal' : 'yellow'}
            >
              {summary.status === 'signed' ? 'Signed' : 'Draft'}
            </Badge>
          )}
        </Group>
      </Group>
      {autosave.state === 'conflict' && (
        <SummaryConflictAlert
          onKeepMine={() => void autosave.keepMine()}
          onTakeTheirs={() => void autosave.takeTheirs()}
        />
      )}

      <PlanGoalsCard patientId={patientId} />

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
              onBlur={blur}
            />
          ))}
          <TagsInput
            label="Themes"
            description="Press Enter after each theme"
            readOnly={readOnly}
            value={fields.themes}
            onChange={(v) => set('themes', v)}
            onBlur={blur}
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
              onBlur={blur}
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
            onBlur={blur}
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
          {summary?.status === 'draft' && (
            <Button
              onClick={() => void flush().then(() => setSigning(true))}
              disabled={autosave.state === 'conflict'}
            >
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
          await flush();
          if (summary) await signIntegrationSummary(store, summary.id, body(fields));
        }}
      />
    </Stack>
  );
}
