import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Image,
  Loader,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { patientDisplayName, ROLE_LABELS } from '../../../shared/model';
import { withdrawalsAt } from '../../../shared/rules/consent';
import { programName } from '../../../shared/rules/consent-packets';
import { errorMessage, formatDateTime } from '../../app/format';
import { useStore } from '../../app/app-state';
import { useClinicSettings, useRecord, useRecordsOfKind } from '../../app/use-records';
import { printDetail } from '../../db/consent-repository';
import { useDisclosureQuestion } from '../disclosures/DisclosureDialog';
import { deliverPdf, pdfFileName, signedPacketPdf } from './print-packets';
import { FormText } from './FormText';
import { SIGNER_LABELS } from './consent-labels';
import { usePackets, useSignedConsents } from './use-consent';
import { WithdrawConsent } from './WithdrawConsent';

/** One signed consent exactly as stored: the text the patient signed, not today's template. */
export function SignedConsentScreen({ consentId }: { consentId: string }) {
  const consent = useRecord('signed-consent', consentId);
  const patient = useRecord('patient', consent?.patientId);
  const all = useSignedConsents(consent?.patientId ?? '');
  const users = useRecordsOfKind('user');
  const packets = usePackets();
  const [, navigate] = useLocation();
  const store = useStore();
  const settings = useClinicSettings();
  const disclosures = useDisclosureQuestion();
  const [printed, setPrinted] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState(false);
  if (consent === undefined) return <Loader role="status" aria-label="Opening signed consent" />;
  if (consent === null) return <Text>That signed consent could not be found.</Text>;
  const userName = (id: string) => users?.find((u) => u.id === id)?.displayName ?? 'a colleague';
  const withdrawal = all && withdrawalsAt(all, new Date()).get(consent.id);
  const withdrawn = consent.revokes ? all?.find((c) => c.id === consent.revokes) : undefined;
  const by = (c: typeof consent) => c.signatures.find((s) => s.role === 'patient')?.name;

  /** This one form as signed, with its withdrawal when there is one (issue 17: print one form). */
  const saveThisForm = async () => {
    if (!patient) return;
    setPrinted(undefined);
    const what = consent.revokes ? 'Withdrawal of a consent form' : 'Signed consent form';
    const disclosure = await disclosures.ask({
      what: `${what} for ${patientDisplayName(patient)}`,
    });
    if (!disclosure) return;
    setBusy(true);
    try {
      const forms = [
        consent,
        ...(withdrawal ? [withdrawal] : []),
        ...(withdrawn ? [withdrawn] : []),
      ];
      const bytes = await signedPacketPdf({ settings, patient, consents: forms, packets });
      const text = await deliverPdf(store, {
        bytes,
        patientId: patient.id,
        disclosure,
        title: what,
        fileName: pdfFileName(patient.lastName, patient.firstName, consent.templateKey),
        output: 'save',
        detail: printDetail(`${what}: “${consent.title}”`, forms.length),
      });
      setPrinted({ ok: true, text });
    } catch (e) {
      setPrinted({ ok: false, text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="md" maw={900}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{consent.title}</Title>
          <Text>
            {patient ? patientDisplayName(patient) : ''} · version {consent.templateVersion} ·
            signed {formatDateTime(consent.signedAt)}
            {consent.program && packets ? ` · ${programName(packets, consent.program)}` : ''}
          </Text>
        </div>
        <Group gap="sm">
          <Button size="xs" variant="default" loading={busy} onClick={() => void saveThisForm()}>
            Save this form as PDF
          </Button>
          <Anchor component="button" onClick={() => navigate(`/patients/${consent.patientId}`)}>
            Back to chart
          </Anchor>
        </Group>
      </Group>
      {printed && (
        <Alert color={printed.ok ? 'teal' : 'red'} role={printed.ok ? 'status' : 'alert'}>
          {printed.text}
        </Alert>
      )}
      {disclosures.dialog}
      {consent.status === 'entered-in-error' && (
        <Badge color="red" variant="light">
          Entered in error
        </Badge>
      )}
      {withdrawal && (
        <Alert
          color="grape"
          title={`Withdrawn on ${formatDateTime(withdrawal.signedAt)}`}
          role="status"
        >
          {by(withdrawal) ?? 'The patient'} withdrew this consent (recorded by{' '}
          {userName(withdrawal.createdBy)}). It no longer counts; the signed form stays as it was.{' '}
          <Anchor href={`#/consents/${withdrawal.id}`}>Open the withdrawal</Anchor>
        </Alert>
      )}
      {consent.revokes && (
        <Alert color="grape" title="Withdrawal" role="status">
          {by(consent) ?? 'The patient'} withdrew{' '}
          {withdrawn ? (
            <Anchor href={`#/consents/${withdrawn.id}`}>
              “{withdrawn.title}”, version {withdrawn.templateVersion}, signed{' '}
              {formatDateTime(withdrawn.signedAt)}
            </Anchor>
          ) : (
            'an earlier consent'
          )}
          , recorded by {userName(consent.createdBy)}.
        </Alert>
      )}
      <Card withBorder padding="lg" component="section" aria-label="Signed text">
        <FormText text={consent.renderedText} fields={consent.fields} />
      </Card>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {consent.signatures.map((s) => (
          <Card key={s.role} withBorder padding="sm">
            <Image
              src={s.image}
              alt={`${SIGNER_LABELS[s.role]} signature of ${s.name}`}
              h={90}
              fit="contain"
            />
            <Text size="sm" fw={600}>
              {s.name}
            </Text>
            <Text size="sm">
              {SIGNER_LABELS[s.role]}
              {s.staffRole ? ` · ${ROLE_LABELS[s.staffRole]}` : ''} · {formatDateTime(s.signedAt)}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      {patient && !withdrawal && (
        <WithdrawConsent
          consent={consent}
          patientName={`${patient.firstName} ${patient.lastName}`}
        />
      )}
      <Text size="xs" style={{ wordBreak: 'break-all' }}>
        Device {consent.deviceId} · content hash {consent.contentHash}
      </Text>
    </Stack>
  );
}
