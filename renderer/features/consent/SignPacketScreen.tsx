import {
  Alert,
  Anchor,
  Button,
  Card,
  Checkbox,
  Group,
  Image,
  Loader,
  Radio,
  ScrollArea,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import { useLocation } from 'wouter';
import { type ConsentTemplate, type Patient, patientDisplayName } from '../../../shared/model';
import { renderTemplate } from '../../../shared/rules/consent';
import { fillFields } from '../../../shared/rules/consent-fields';
import { packetTemplates, type PacketLike } from '../../../shared/rules/consent-packets';
import { ConfirmPassphraseDialog } from '../../app/ConfirmPassphraseDialog';
import { useStore } from '../../app/app-state';
import { errorMessage, formatCalendarDate, formatDateTime } from '../../app/format';
import { useClinicSettings, useRecord, useRecordsOfKind } from '../../app/use-records';
import { placeholderValues, signConsentForms } from '../../db/consent-repository';
import { FormText } from './FormText';
import { SIGNER_LABELS } from './consent-labels';
import { eligibleSigners, signerWithRole } from '../../../shared/rules/consent-signers';
import { joinWords } from '../../../shared/util/words';
import { type CapturedSignature, SignatureField } from './SignatureField';
import { useLivePackets } from './use-consent';

type Signatures = Record<string, Partial<Record<CapturedSignature['role'], CapturedSignature>>>;

/** Chart action "Consent packet": choose a packet, review each form, collect signatures, sign. */
export function SignPacketScreen({ patientId }: { patientId: string }) {
  const patient = useRecord('patient', patientId);
  const templates = useRecordsOfKind('consent-template');
  const packets = useLivePackets();
  if (patient === undefined || templates === undefined || packets === undefined)
    return <Loader role="status" aria-label="Opening consent packet" />;
  if (patient === null) return <Text>That patient could not be found.</Text>;
  if (packets.length === 0)
    return (
      <Text>No consent packets are set up: a practice manager adds them under Consent forms.</Text>
    );
  return <PacketFlow patient={patient} templates={templates} packets={packets} />;
}

/**
 * What the patient gave in patient mode (renderer/features/patient-mode): the forms they read,
 * their fields and their own signature. Staff go through the same forms adding theirs; the
 * patient's part is shown as given, not editable.
 */
export type HandedBack = {
  program: string;
  forms: ConsentTemplate[];
  fieldValues: Record<string, Record<string, string>>;
  signatures: Record<string, CapturedSignature>;
};

export function PacketFlow({
  patient,
  templates,
  packets,
  handedBack,
  onSigned,
}: {
  patient: Patient;
  templates: ConsentTemplate[];
  packets: PacketLike[];
  handedBack?: HandedBack;
  /** After the packet is stored (patient mode drops its kept copy). */
  onSigned?: () => Promise<void>;
}) {
  const store = useStore();
  const settings = useClinicSettings();
  // Handed back from patient mode, the first form shows at once: its text needs the settings read
  const settingsRead = useRecordsOfKind('clinic-settings') !== undefined;
  const [, navigate] = useLocation();
  const [program, setProgram] = useState(handedBack?.program ?? packets[0]!.program);
  const packet = packets.find((p) => p.program === program) ?? packets[0]!;
  const { required, optional, unknownKeys } = packetTemplates(packet, templates);
  const [withOptional, setWithOptional] = useState<string[]>([]);
  // -1: choosing; 0..n-1: forms; n: review
  const [step, setStep] = useState(handedBack ? 0 : -1);
  const [forms, setForms] = useState<ConsentTemplate[]>(handedBack?.forms ?? []);
  const [signatures, setSignatures] = useState<Signatures>(() =>
    Object.fromEntries(
      Object.entries(handedBack?.signatures ?? {}).map(([key, sig]) => [key, { patient: sig }]),
    ),
  );
  const [fieldValues, setFieldValues] = useState<Record<string, Record<string, string>>>(
    handedBack?.fieldValues ?? {},
  );
  const [showProblems, setShowProblems] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const values = useMemo(() => placeholderValues(settings, patient), [settings, patient]);
  const me = store.session.user;
  const users = useRecordsOfKind('user');
  const name = patientDisplayName(patient);

  const start = () => {
    setFailure(undefined);
    const chosen = [...required, ...optional.filter((t) => withOptional.includes(t.templateKey))];
    try {
      for (const t of chosen) renderTemplate(t, values); // fail now, not after signatures
      setForms(chosen);
      setSignatures({});
      setFieldValues({});
      setStep(0);
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };

  const missingSigners = (t: ConsentTemplate) =>
    t.signers.filter((r) => !signatures[t.templateKey]?.[r]);

  const next = () => {
    const form = forms[step]!;
    try {
      fillFields(form.title, form.fields, fieldValues[form.templateKey]);
    } catch (e) {
      setShowProblems(true);
      setFailure(errorMessage(e));
      return;
    }
    setShowProblems(false);
    const missing = missingSigners(form);
    if (missing.length > 0) {
      setFailure(
        `“${form.title}” still needs the ${joinWords(missing.map((r) => SIGNER_LABELS[r].toLowerCase()))} ` +
          'signature: drawn, and for staff, chosen and confirmed with their own passphrase.',
      );
      return;
    }
    setFailure(undefined);
    setStep(step + 1);
    window.scrollTo(0, 0);
  };

  const save = async () => {
    await signConsentForms(store, {
      patient,
      program,
      values,
      signedAt: new Date().toISOString(),
      forms: forms.map((template) => ({
        template,
        signatures: template.signers.map((r) => signatures[template.templateKey]![r]!),
        fieldValues: fieldValues[template.templateKey],
      })),
    });
    await onSigned?.();
    notifications.show({
      color: 'teal',
      message: `${forms.length} consent form${forms.length === 1 ? '' : 's'} signed for ${name}.`,
    });
    navigate(`/patients/${patient.id}`);
  };

  const header = (
    <Group justify="space-between">
      <div>
        <Title order={2}>Consent packet</Title>
        <Text>
          {name} · born {formatCalendarDate(patient.dateOfBirth)}
        </Text>
      </div>
      <Anchor component="button" onClick={() => navigate(`/patients/${patient.id}`)}>
        Back to chart
      </Anchor>
    </Group>
  );
  const alert = failure && (
    <Alert color="red" role="alert">
      {failure}
    </Alert>
  );

  if (step === -1)
    return (
      <Stack gap="md" maw={900}>
        {header}
        <Radio.Group label="Packet" value={program} onChange={setProgram}>
          <Stack gap={6} mt={6}>
            {packets.map((p) => (
              <Radio key={p.program} value={p.program} label={p.name} />
            ))}
          </Stack>
        </Radio.Group>
        <Card withBorder>
          <Text fw={600} mb={4}>
            Forms in this packet
          </Text>
          {required.length === 0 && (
            <Text size="sm">
              No forms are set up yet: a practice manager opens Consent forms to add them.
            </Text>
          )}
          {required.map((t) => (
            <Text key={t.id} size="sm">
              {t.title} (version {t.version})
            </Text>
          ))}
          {optional.length > 0 && (
            <Checkbox.Group
              value={withOptional}
              onChange={setWithOptional}
              label="Optional"
              mt="xs"
            >
              {optional.map((t) => (
                <Checkbox key={t.id} value={t.templateKey} label={t.title} mt={4} />
              ))}
            </Checkbox.Group>
          )}
          {unknownKeys.length > 0 && (
            <Text size="sm" c="red.8" mt="xs">
              Not found: {unknownKeys.join(', ')}. Ask the practice manager to check the packet.
            </Text>
          )}
        </Card>
        {alert}
        <Group>
          <Button onClick={start} disabled={required.length === 0}>
            Review forms
          </Button>
        </Group>
      </Stack>
    );

  if (step < forms.length) {
    // (and the staff who may sign, so the clinician is preselected on the first form)
    if (!settingsRead || !users) return <Loader role="status" aria-label="Opening the forms" />;
    const form = forms[step]!;
    return (
      <Stack gap="md" maw={900}>
        {header}
        <Text size="sm" aria-live="polite">
          Form {step + 1} of {forms.length}
        </Text>
        <Card withBorder padding="lg" component="section" aria-labelledby="form-title">
          <Title order={3} id="form-title">
            {form.title}
          </Title>
          <Text size="xs" mb="sm">
            Version {form.version}
          </Text>
          <ScrollArea.Autosize
            mah={420}
            type="auto"
            offsetScrollbars
            viewportProps={{ tabIndex: 0, 'aria-label': `Text of ${form.title}` }}
          >
            <FormText
              text={renderTemplate(form, values)}
              fields={
                handedBack
                  ? fillFields(form.title, form.fields, fieldValues[form.templateKey])
                  : undefined
              }
              entry={
                handedBack
                  ? undefined
                  : {
                      fields: form.fields ?? [],
                      values: fieldValues[form.templateKey] ?? {},
                      showProblems,
                      onChange: (id, value) =>
                        setFieldValues((all) => ({
                          ...all,
                          [form.templateKey]: { ...all[form.templateKey], [id]: value },
                        })),
                    }
              }
            />
          </ScrollArea.Autosize>
        </Card>
        {form.signers.map((role) =>
          handedBack && role === 'patient' ? (
            <PatientSigned
              key={`${form.templateKey}-${role}`}
              formTitle={form.title}
              signature={signatures[form.templateKey]?.patient}
            />
          ) : (
            <SignatureField
              key={`${form.templateKey}-${role}`}
              role={role}
              formTitle={form.title}
              patientName={`${patient.firstName} ${patient.lastName}`}
              staff={eligibleSigners(users ?? [], role)}
              defaultUserId={role === 'clinician' ? me.id : undefined}
              value={signatures[form.templateKey]?.[role]}
              onChange={(sig) =>
                setSignatures((s) => ({
                  ...s,
                  [form.templateKey]: { ...s[form.templateKey], [role]: sig },
                }))
              }
            />
          ),
        )}
        {alert}
        <Group>
          <Button variant="default" onClick={() => setStep(step - 1)}>
            Back
          </Button>
          <Button onClick={next}>
            {step + 1 < forms.length ? 'Next form' : 'Review and sign'}
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <Stack gap="md" maw={900}>
      {header}
      <Title order={3}>Ready to sign</Title>
      <Stack gap={4}>
        {forms.map((f) => (
          <Text key={f.id} size="sm">
            {f.title} (version {f.version}) —{' '}
            {f.signers.map((r) => signerWithRole(signatures[f.templateKey]![r]!)).join(', ')}
          </Text>
        ))}
      </Stack>
      <Text size="sm">
        Signing stores each form with the exact text shown, the signatures, the time and this
        device. It cannot be changed afterwards; a withdrawal is recorded as a new form.
      </Text>
      {alert}
      <Group>
        <Button variant="default" onClick={() => setStep(forms.length - 1)}>
          Back
        </Button>
        <Button onClick={() => setConfirming(true)}>Sign and save {forms.length} forms</Button>
      </Group>
      <ConfirmPassphraseDialog
        opened={confirming}
        title="Confirm to sign"
        explanation={`You are saving ${forms.length} signed consent forms for ${name}, with you as the staff member who collected them.`}
        confirmLabel="Sign"
        onClose={() => setConfirming(false)}
        onConfirmed={save}
      />
    </Stack>
  );
}

/** The patient's signature from patient mode, shown as given (not redrawn by staff). */
function PatientSigned(props: { formTitle: string; signature?: CapturedSignature }) {
  if (!props.signature) return <Text c="red.8">The patient has not signed this form.</Text>;
  return (
    <Stack gap={4}>
      <Text fw={600} size="sm">
        Patient signature (given in patient mode)
      </Text>
      <Image
        src={props.signature.image}
        alt={`Patient signature for ${props.formTitle}, by ${props.signature.name}`}
        h={120}
        w="auto"
        fit="contain"
        style={{ border: '1px solid var(--mantine-color-gray-4)', background: 'white' }}
      />
      <Text size="sm">
        {props.signature.name} · signed {formatDateTime(props.signature.signedAt)}
      </Text>
    </Stack>
  );
}
