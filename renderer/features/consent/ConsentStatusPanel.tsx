import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Menu,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { patientDisplayName, type SignedConsent } from '../../../shared/model';
import {
  type FormConsentState,
  type PrintChoice,
  type ProgramConsentStatus,
  consentsToPrint,
} from '../../../shared/rules/consent';
import { livePackets, packetTemplates, programName } from '../../../shared/rules/consent-packets';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';
import { errorMessage, formatDate } from '../../app/format';
import { useClinicSettings, useRecord, useRecordsOfKind } from '../../app/use-records';
import type { ChartSectionProps } from '../chart/chart-sections';
import { printDetail } from '../../db/consent-repository';
import { useDisclosureQuestion } from '../disclosures/DisclosureDialog';
import { STATE_COLORS, STATE_LABELS } from './consent-labels';
import {
  blankPacketPdf,
  deliverPdf,
  pdfFileName,
  signedPacketPdf,
  type PdfOutput,
} from './print-packets';
import { useConsentStatus, usePackets, usePatientPrograms, useSignedConsents } from './use-consent';
import { WaitingPatientPackets } from '../patient-mode/WaitingPatientPackets';

const SHOWN = 8;

/** Chart header button: start signing a consent packet (roles that may collect signatures). */
export function ConsentPacketAction({ patientId }: ChartSectionProps) {
  const store = useStore();
  const [, navigate] = useLocation();
  if (!can(store.roles, 'sign', 'signed-consent')) return null;
  return (
    <Button variant="light" onClick={() => navigate(`/patients/${patientId}/consent`)}>
      Consent packet
    </Button>
  );
}

/** Chart panel: consent status per program, and printing signed or blank packets. */
export function ConsentStatusPanel({ patientId }: ChartSectionProps) {
  const store = useStore();
  const statuses = useConsentStatus(patientId);
  const consents = useSignedConsents(patientId);
  const patient = useRecord('patient', patientId);
  const templates = useRecordsOfKind('consent-template');
  const settings = useClinicSettings();
  const packets = usePackets();
  const programs = usePatientPrograms(patientId);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState<string>();
  const [showOthers, setShowOthers] = useState(false);
  const [choice, setChoice] = useState('current');
  const disclosures = useDisclosureQuestion();
  if (!statuses || !patient || !templates || !consents || !packets || !programs) return null;
  const signed = consents.filter((c) => c.status !== 'entered-in-error');
  const configured = statuses.filter((s) => !s.unconfigured);
  // Clinicians see the patient's own programs; the clinic's others stay folded away (issue 16:
  // three "Missing" rows for programs the patient never joined read as an emergency). The
  // practice manager, who prepares packets for programs a patient is about to join, sees all.
  const folds = !store.roles.includes('practice-manager');
  const own = configured.filter((s) => !folds || programs.includes(s.program));
  const others = configured.filter((s) => folds && !programs.includes(s.program));
  const relevant = showOthers ? [...own, ...others] : own;

  const run = async (key: string, make: () => Promise<Uint8Array>, info: Print) => {
    setMessage(undefined);
    const disclosure = await disclosures.ask({
      what: `${info.title} for ${patientDisplayName(patient)}`,
    });
    if (!disclosure) return;
    setBusy(key);
    try {
      const bytes = await make();
      const text = await deliverPdf(store, { bytes, patientId, disclosure, ...info });
      setMessage({ ok: true, text });
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    } finally {
      setBusy(undefined);
    }
  };
  type Print = { title: string; fileName: string; output: PdfOutput; detail: string };

  // One packet, everything that counts now (the default), or everything ever signed.
  const printChoice: PrintChoice =
    choice === 'all' || choice === 'current'
      ? { what: choice }
      : { what: 'packet', program: choice.replace(/^packet:/, '') };
  const toPrint = consentsToPrint(signed, statuses, printChoice);
  const choiceTitle =
    printChoice.what === 'packet'
      ? `Signed ${programName(packets, printChoice.program)} packet`
      : printChoice.what === 'all'
        ? 'Every signed consent form, withdrawals included'
        : 'Signed consent forms in force';
  const printSigned = (output: PdfOutput) =>
    run(
      output,
      () =>
        signedPacketPdf({
          settings,
          patient,
          consents: toPrint,
          packets,
          packetName:
            printChoice.what === 'packet' ? programName(packets, printChoice.program) : undefined,
        }),
      {
        title: choiceTitle,
        fileName: pdfFileName(patient.lastName, patient.firstName, 'signed-consents'),
        output,
        detail: printDetail(choiceTitle, toPrint.length),
      },
    );
  const printOptions = [
    { value: 'current', label: 'Every form in force' },
    ...statuses
      .filter((s) => s.forms.some((f) => f.state === 'current' || f.state === 'expiring'))
      .map((s) => ({
        value: `packet:${s.program}`,
        label: `${programName(packets, s.program)} packet`,
      })),
    { value: 'all', label: 'Everything signed, withdrawals included' },
  ];

  const printBlank = (program: string) => {
    const packet = livePackets(packets).find((p) => p.program === program)!;
    const { required } = packetTemplates(packet, templates);
    return run(
      'blank',
      () => blankPacketPdf({ settings, patient, templates: required, packetName: packet.name }),
      {
        title: 'Consent packet for signature',
        fileName: pdfFileName(patient.lastName, patient.firstName, packet.program, 'blank'),
        output: 'print',
        detail: printDetail(`Blank ${packet.name} packet`, required.length),
      },
    );
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="consent-status-title">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4" id="consent-status-title">
          Consent
        </Title>
        <Group gap="xs">
          <Select
            size="xs"
            aria-label="Signed forms to print"
            data={printOptions}
            value={choice}
            onChange={(v) => v && setChoice(v)}
            allowDeselect={false}
            w={230}
          />
          <Button
            size="xs"
            variant="default"
            disabled={toPrint.length === 0}
            loading={busy === 'print'}
            onClick={() => void printSigned('print')}
          >
            Print signed forms
          </Button>
          <Button
            size="xs"
            variant="default"
            disabled={toPrint.length === 0}
            loading={busy === 'save'}
            onClick={() => void printSigned('save')}
          >
            Save signed forms as PDF
          </Button>
          <Menu position="bottom-end">
            <Menu.Target>
              <Button size="xs" variant="default" loading={busy === 'blank'}>
                Blank packet for wet signature
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {livePackets(packets).map((p) => (
                <Menu.Item key={p.program} onClick={() => void printBlank(p.program)}>
                  {p.name}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>
      <WaitingPatientPackets patientId={patientId} />
      {configured.length === 0 ? (
        <Text size="sm">No consent forms are set up for this clinic yet.</Text>
      ) : relevant.length === 0 ? (
        <Text size="sm">Not booked or signed for a program yet.</Text>
      ) : (
        <Table aria-label="Consent status by program">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Program</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Forms needing attention</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {relevant.map((s) => (
              <ProgramRow
                key={s.program}
                status={s}
                name={programName(packets, s.program)}
                consents={consents}
              />
            ))}
          </Table.Tbody>
        </Table>
      )}
      {others.length > 0 && (
        <Button
          size="compact-sm"
          variant="subtle"
          mt={4}
          aria-expanded={showOthers}
          onClick={() => setShowOthers((v) => !v)}
        >
          {showOthers
            ? 'Show only this patient’s programs'
            : `Other programs the clinic offers (${others.length})`}
        </Button>
      )}
      {signed.length === 0 ? (
        <Text size="sm" mt="xs">
          No signed consent forms yet.
        </Text>
      ) : (
        <Stack gap={2} mt="sm">
          <Text size="sm" fw={600}>
            Signed forms (newest first)
          </Text>
          {signed.slice(0, SHOWN).map((c) => (
            <Anchor key={c.id} href={`#/consents/${c.id}`} size="sm">
              {c.title} — version {c.templateVersion}, signed {formatDate(c.signedAt)}
            </Anchor>
          ))}
          {signed.length > SHOWN && (
            <Text size="sm">
              {signed.length - SHOWN} older signed forms are on the treatment course below.
            </Text>
          )}
        </Stack>
      )}
      {message && (
        <Alert mt="sm" color={message.ok ? 'teal' : 'red'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </Alert>
      )}
      {disclosures.dialog}
    </Card>
  );
}

function ProgramRow({
  status,
  name,
  consents,
}: {
  status: ProgramConsentStatus;
  name: string;
  consents: SignedConsent[];
}) {
  const users = useRecordsOfKind('user');
  const attention = status.forms.filter((f) => f.state !== 'current');
  const userName = (id: string) => users?.find((u) => u.id === id)?.displayName ?? 'a colleague';
  return (
    <Table.Tr>
      <Table.Td>{name}</Table.Td>
      <Table.Td w={170}>
        <Badge
          style={{ minWidth: 'max-content' }}
          color={STATE_COLORS[status.status]}
          variant="light"
          aria-label={`${name}: ${STATE_LABELS[status.status]}`}
        >
          {STATE_LABELS[status.status]}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          {attention.length === 0
            ? '—'
            : attention.map((f) => formAttention(f, consents, userName)).join('; ')}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** "Transport and escort agreement (withdrawn on Mar 3, 2026 by Maya Okafor, recorded by Jordan Lee)". */
export function formAttention(
  f: FormConsentState,
  consents: readonly SignedConsent[],
  userName: (id: string) => string,
): string {
  const title = f.template.title;
  switch (f.state) {
    case 'withdrawn': {
      const w = consents.find((c) => c.id === f.withdrawalId);
      const by = w?.signatures.find((s) => s.role === 'patient')?.name;
      return `${title} (withdrawn on ${formatDate(f.withdrawnAt)}${by ? ` by ${by}` : ''}${
        w ? `, recorded by ${userName(w.createdBy)}` : ''
      })`;
    }
    case 'reconsent':
      return `${title} (re-consent needed: version ${f.requiredVersion} asks every patient to sign again)`;
    case 'expired':
      return `${title} (expired ${formatDate(f.expiresAt)})`;
    case 'expiring':
      return `${title} (expires ${f.expiresAt ? formatDate(f.expiresAt) : ''})`;
    case 'missing':
      return `${title} (not signed)`;
    default:
      return title;
  }
}
