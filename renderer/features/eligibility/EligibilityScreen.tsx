import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  List,
  Loader,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useMemo, useState } from 'react';
import { useLocation } from 'wouter';
import { EligibilityBody, INDICATIONS, patientDisplayName } from '../../../shared/model';
import {
  eligibilityMissing,
  evaluationChecklist,
  flagMedications,
} from '../../../shared/rules/eligibility';
import { useStore } from '../../app/app-state';
import { ConfirmPassphraseDialog } from '../../app/ConfirmPassphraseDialog';
import { errorMessage, formatDateTime } from '../../app/format';
import { useClinicSettings, useRecord } from '../../app/use-records';
import { saveEligibility, signEligibility } from '../../db/eligibility-repository';
import { KeptDraftNotice } from '../dosing/KeptDraftNotice';
import classes from '../dosing/signed-record.module.css';
import { useValueDraft } from '../dosing/use-value-draft';

const INDICATION_LABELS: Record<(typeof INDICATIONS)[number], string> = {
  trd: 'Treatment-resistant depression',
  ptsd: 'PTSD',
  gad: 'Generalized anxiety',
  ocd: 'OCD',
  'chronic-pain': 'Chronic pain',
  other: 'Other',
};
const DECISIONS = [
  { value: 'eligible', label: 'Eligible' },
  { value: 'eligible-with-conditions', label: 'Eligible with conditions' },
  { value: 'not-eligible', label: 'Not eligible' },
];

type Form = {
  indication: EligibilityBody['indication'];
  indicationOther: string;
  psychiatricHistory: string;
  medicalHistory: string;
  medications: string;
  contraindications: Record<string, boolean>;
  decision?: EligibilityBody['decision'];
  conditions: string;
};

const parseMedications = (text: string) =>
  flagMedications(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((name) => ({ name: name.slice(0, 120) })),
  );

/** The eligibility evaluation form; signed evaluations are shown read-only. */
export function EligibilityScreen({ id }: { id: string }) {
  const store = useStore();
  const [, navigate] = useLocation();
  const record = useRecord('eligibility', id);
  const patient = useRecord('patient', record?.patientId);
  const settings = useClinicSettings();
  const [form, setForm] = useState<Form>();
  const [failure, setFailure] = useState<string>();
  const [signing, setSigning] = useState(false);
  // Typed but not yet saved: kept encrypted across reload and lock until the draft is saved.
  const draft = useValueDraft(
    `eligibility:${id}`,
    form,
    (kept) => kept && setForm(kept),
    record?.status === 'draft' && form !== undefined,
  );
  const patientId = record?.patientId;
  // Opening an evaluation is an audited access (HIPAA 45 CFR 164.312(b)).
  useEffect(() => {
    if (patientId) void store.audit('view', { recordKind: 'eligibility', recordId: id, patientId });
  }, [store, id, patientId]);

  useEffect(() => {
    if (record && !form)
      setForm({
        indication: record.indication,
        indicationOther: record.indicationOther ?? '',
        psychiatricHistory: record.psychiatricHistory,
        medicalHistory: record.medicalHistory,
        medications: record.currentMedications.map((m) => m.name).join('\n'),
        contraindications: record.contraindications,
        decision: record.decision,
        conditions: record.conditions ?? '',
      });
  }, [record, form]);

  const body = useMemo(
    () =>
      form && {
        indication: form.indication,
        indicationOther: form.indicationOther.trim() || undefined,
        psychiatricHistory: form.psychiatricHistory,
        medicalHistory: form.medicalHistory,
        currentMedications: parseMedications(form.medications),
        contraindications: form.contraindications,
        decision: form.decision,
        conditions: form.conditions.trim() || undefined,
      },
    [form],
  );
  if (record === undefined || !form || !body)
    return <Loader role="status" aria-label="Opening evaluation" />;
  if (record === null) return <Text>That evaluation could not be found.</Text>;

  const signed = record.status !== 'draft';
  // A signed evaluation shows what it was asked; a draft asks the clinic's current checklist.
  const checklist = evaluationChecklist(
    { ...record, contraindications: form.contraindications },
    signed ? [] : settings.clinicContraindications,
  );
  const missing = eligibilityMissing({ ...record, ...body }, checklist);
  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });
  const save = async () => {
    setFailure(undefined);
    try {
      await saveEligibility(store, id, body);
      await draft.clear();
      return true;
    } catch (e) {
      setFailure(errorMessage(e));
      return false;
    }
  };

  return (
    <Stack gap="md" maw={900}>
      <Group justify="space-between">
        <Stack gap={0}>
          <Title order={2}>Eligibility evaluation</Title>
          <Text size="sm">
            {patient ? patientDisplayName(patient) : ''} · {formatDateTime(record.evaluatedAt)}
          </Text>
        </Stack>
        <Group>
          {signed && record.signature && (
            <Badge color="teal" size="lg">
              Signed by {record.signature.byName}
            </Badge>
          )}
          <Button variant="default" onClick={() => navigate(`/patients/${record.patientId}`)}>
            Back to chart
          </Button>
        </Group>
      </Group>
      <KeptDraftNotice at={draft.restoredAt} />
      <fieldset disabled={signed} className={classes.signed}>
        <Stack gap="md">
          <Card withBorder>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                label="Indication"
                data={INDICATIONS.map((v) => ({ value: v, label: INDICATION_LABELS[v] }))}
                value={form.indication}
                onChange={(v) => v && set({ indication: v as Form['indication'] })}
                allowDeselect={false}
              />
              {form.indication === 'other' && (
                <TextInput
                  label="Other indication"
                  value={form.indicationOther}
                  onChange={(e) => set({ indicationOther: e.currentTarget.value })}
                />
              )}
            </SimpleGrid>
            <Textarea
              mt="sm"
              label="Psychiatric history"
              description="Psychosis, mania, substance use, prior treatments tried and their response"
              autosize
              minRows={3}
              value={form.psychiatricHistory}
              onChange={(e) => set({ psychiatricHistory: e.currentTarget.value })}
            />
            <Textarea
              mt="sm"
              label="Medical history"
              autosize
              minRows={2}
              value={form.medicalHistory}
              onChange={(e) => set({ medicalHistory: e.currentTarget.value })}
            />
            <Textarea
              mt="sm"
              label="Current medications"
              description="One per line, with the dose. Benzodiazepines, sedatives, stimulants, MAOIs and opioids are flagged."
              autosize
              minRows={2}
              value={form.medications}
              onChange={(e) => set({ medications: e.currentTarget.value })}
            />
            <Group gap="xs" mt="xs" role="group" aria-label="Flagged medications">
              {body.currentMedications
                .filter((m) => m.flag)
                .map((m) => (
                  <Badge key={m.name} color="orange" variant="light">
                    {m.name}: {m.flag}
                  </Badge>
                ))}
            </Group>
          </Card>
          <Card withBorder>
            <Title order={3} size="h4" mb="xs">
              Contraindications
            </Title>
            <Stack gap="xs">
              {checklist.map((c) => (
                <Radio.Group
                  key={c.key}
                  label={c.label}
                  value={
                    typeof form.contraindications[c.key] === 'boolean'
                      ? String(form.contraindications[c.key])
                      : ''
                  }
                  onChange={(v) =>
                    set({ contraindications: { ...form.contraindications, [c.key]: v === 'true' } })
                  }
                >
                  <Group gap="md" mt={4}>
                    <Radio value="true" label="Yes" />
                    <Radio value="false" label="No" />
                  </Group>
                </Radio.Group>
              ))}
            </Stack>
          </Card>
          <Card withBorder>
            <Radio.Group
              label="Decision"
              value={form.decision ?? ''}
              onChange={(v) => set({ decision: v as Form['decision'] })}
            >
              <Group gap="md" mt={4}>
                {DECISIONS.map((d) => (
                  <Radio key={d.value} value={d.value} label={d.label} />
                ))}
              </Group>
            </Radio.Group>
            {form.decision === 'eligible-with-conditions' && (
              <Textarea
                mt="sm"
                label="Conditions"
                value={form.conditions}
                onChange={(e) => set({ conditions: e.currentTarget.value })}
              />
            )}
          </Card>
        </Stack>
      </fieldset>
      {!signed && missing.length > 0 && (
        <Alert color="yellow" title="Before signing">
          <List size="sm">
            {missing.map((m) => (
              <List.Item key={m}>{m}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {failure && (
        <Alert color="red" role="alert">
          {failure}
        </Alert>
      )}
      {!signed && (
        <Group justify="flex-end">
          <Button
            variant="default"
            onClick={async () => {
              if (await save()) notifications.show({ color: 'teal', message: 'Draft saved' });
            }}
          >
            Save draft
          </Button>
          <Button
            onClick={async () => {
              if (!(await save())) return;
              // Refused before the passphrase is asked; the repository checks again on signing.
              if (missing.length)
                setFailure(`This evaluation cannot be signed yet: ${missing.join('; ')}.`);
              else setSigning(true);
            }}
          >
            Sign evaluation
          </Button>
        </Group>
      )}
      <ConfirmPassphraseDialog
        opened={signing}
        title="Sign the eligibility evaluation"
        explanation="Signing makes this evaluation final; corrections are made by addendum."
        confirmLabel="Sign"
        onClose={() => setSigning(false)}
        onConfirmed={async () => {
          await signEligibility(store, id);
          notifications.show({ color: 'teal', message: 'Eligibility evaluation signed' });
        }}
      />
    </Stack>
  );
}
