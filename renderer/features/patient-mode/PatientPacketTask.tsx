import { Alert, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import type { ConsentTemplate } from '../../../shared/model';
import { latestTemplates, renderTemplate } from '../../../shared/rules/consent';
import { fillFields } from '../../../shared/rules/consent-fields';
import type { PatientModeState, PatientTask } from '../../../shared/rules/patient-mode';
import { joinWords } from '../../../shared/util/words';
import { errorMessage } from '../../app/format';
import { useClinicSettings, useRecord, useRecordsOfKind } from '../../app/use-records';
import { useValueDraft } from '../../app/use-value-draft';
import { placeholderValues } from '../../db/consent-repository';
import { completeTask } from '../../db/patient-mode-repository';
import { SIGNER_LABELS } from '../consent/consent-labels';
import { FormText } from '../consent/FormText';
import { SignatureField } from '../consent/SignatureField';
import { emptyKeptPacket, type KeptPacket, keptPacketKey } from './kept-packet';
import { patientModeStorage } from './patient-mode-store';

type PacketTask = Extract<PatientTask, { kind: 'packet' }>;

/** The forms of a packet as the patient reads them: the versions fixed when they started. */
export function packetForms(
  templates: readonly ConsentTemplate[],
  kept: Pick<KeptPacket, 'templateKeys' | 'templateIds'>,
): ConsentTemplate[] {
  const latest = latestTemplates(templates);
  return kept.templateKeys.flatMap((key) => {
    const pinned = kept.templateIds[key];
    const t = pinned
      ? templates.find((x) => x.id === pinned)
      : latest.find((x) => x.templateKey === key);
    return t ? [t] : [];
  });
}

/**
 * The patient's part of a consent packet, one form at a time: read it, fill in its fields and
 * initials, sign. Staff signatures (witness, clinician) are added by staff after patient mode
 * (FinishPatientPacketScreen); until then everything given is kept encrypted as a draft.
 */
export function PatientPacketTask(props: { state: PatientModeState; task: PacketTask }) {
  const { state, task } = props;
  const templates = useRecordsOfKind('consent-template');
  const patient = useRecord('patient', state.patientId);
  const settings = useClinicSettings();
  // the form text needs the clinic's phone and address: wait until they are read
  const settingsRead = useRecordsOfKind('clinic-settings') !== undefined;
  const [kept, setKept] = useState<KeptPacket>(() =>
    emptyKeptPacket(task.program, task.templateKeys),
  );
  // The patient's part waits for whichever staff member signs in next (this computer's draft).
  const draft = useValueDraft(
    keptPacketKey(state.patientId, task.program),
    kept,
    setKept,
    true,
    'this-computer',
  );
  const [showProblems, setShowProblems] = useState(false);
  const [failure, setFailure] = useState<string>();
  const forms = useMemo(() => (templates ? packetForms(templates, kept) : []), [templates, kept]);

  // Fix the versions shown once the kept copy (if any) has been offered back.
  useEffect(() => {
    if (!draft.ready || forms.length === 0 || Object.keys(kept.templateIds).length > 0) return;
    const ids = Object.fromEntries(forms.map((f) => [f.templateKey, f.id]));
    setKept((k) => ({ ...k, templateIds: ids }));
  }, [draft.ready, forms, kept.templateIds]);

  if (!templates || !patient || !draft.ready || !settingsRead)
    return <Loader role="status" aria-label="Opening your forms" />;
  const values = placeholderValues(settings, patient);
  const step = Math.min(kept.step, forms.length - 1);
  const form = forms[step];
  if (!form) return <Text size="xl">These forms could not be found. Please ask staff.</Text>;
  const staffSigners = form.signers.filter((r) => r !== 'patient');

  const next = () => {
    try {
      fillFields(form.title, form.fields, kept.fieldValues[form.templateKey]);
    } catch (e) {
      setShowProblems(true);
      setFailure(errorMessage(e));
      return;
    }
    if (form.signers.includes('patient') && !kept.signatures[form.templateKey]) {
      setFailure('Please sign in the box at the end of the form.');
      return;
    }
    setShowProblems(false);
    setFailure(undefined);
    window.scrollTo(0, 0);
    if (step + 1 < forms.length) setKept((k) => ({ ...k, step: step + 1 }));
    // The kept copy stays: staff add their signatures from it after patient mode.
    else completeTask(patientModeStorage, state, task);
  };

  return (
    <Stack gap="lg">
      <Text size="xl" aria-live="polite">
        Form {step + 1} of {forms.length}
      </Text>
      <Card withBorder padding="xl" radius="md" component="section" aria-labelledby="form-title">
        <Stack gap="md">
          <Title order={2} id="form-title">
            {form.title}
          </Title>
          <FormText
            large
            text={renderTemplate(form, values)}
            entry={{
              fields: form.fields ?? [],
              values: kept.fieldValues[form.templateKey] ?? {},
              showProblems,
              onChange: (id, value) =>
                setKept((k) => ({
                  ...k,
                  fieldValues: {
                    ...k.fieldValues,
                    [form.templateKey]: { ...k.fieldValues[form.templateKey], [id]: value },
                  },
                })),
            }}
          />
        </Stack>
      </Card>
      {form.signers.includes('patient') && (
        <SignatureField
          key={form.id}
          large
          role="patient"
          formTitle={form.title}
          patientName={`${patient.firstName} ${patient.lastName}`}
          value={kept.signatures[form.templateKey]}
          onChange={(sig) =>
            setKept((k) => {
              const signatures = { ...k.signatures };
              if (sig) signatures[form.templateKey] = sig;
              else delete signatures[form.templateKey];
              return { ...k, signatures };
            })
          }
        />
      )}
      {staffSigners.length > 0 && (
        <Text size="lg" c="dimmed">
          The {joinWords(staffSigners.map((r) => SIGNER_LABELS[r].toLowerCase()))} will sign this
          form after you.
        </Text>
      )}
      {failure && (
        <Alert color="red" role="alert">
          <Text size="lg">{failure}</Text>
        </Alert>
      )}
      <Group justify="space-between">
        <Button
          size="xl"
          variant="default"
          disabled={step === 0}
          onClick={() => setKept((k) => ({ ...k, step: step - 1 }))}
        >
          Back
        </Button>
        <Button size="xl" onClick={next}>
          {step + 1 < forms.length ? 'Next form' : 'Finish forms'}
        </Button>
      </Group>
    </Stack>
  );
}
