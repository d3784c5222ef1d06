import {
  Alert,
  Anchor,
  Button,
  Group,
  Loader,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import {
  ACCOUNTING_YEARS,
  type DisclosureLine,
  PURPOSES,
  RECIPIENTS,
  accountingOf,
  exemptionWords,
} from '../../../shared/rules/disclosures';
import { useStore } from '../../app/app-state';
import { formatCalendarDate, formatDateTime } from '../../app/format';
import { useClinicSettings, usePatientIndex } from '../../app/use-records';
import { patientReportSaved, reportWords } from '../../db/access-report';
import { listDisclosures } from '../../db/disclosures';
import { letterhead } from '../consent/print-packets';
import { loadPdfFonts } from '../consent/pdf-fonts';
import { DayRangeInputs, dayEnd, dayStart, localDay, rangeBackwards } from './DayRange';
import { useSaveReport } from './use-save-report';

/**
 * The accounting of disclosures a patient may ask for (issue 18 point 3; HIPAA 45 CFR 164.528):
 * every copy of their records that left the clinic, with its recipient and purpose, over up to six
 * years. Administrators only (it is read from the audit log).
 */
export function DisclosuresScreen({ patientId }: { patientId?: string }) {
  const store = useStore();
  if (!store.roles.includes('administrator'))
    return (
      <Alert color="gray" title="Administrators only">
        Only an administrator can print a patient’s accounting of disclosures. Ask your clinic’s
        administrator.
      </Alert>
    );
  return <Disclosures initialPatient={patientId} />;
}

const recipient = (l: DisclosureLine) =>
  l.name ? `${l.name} (${RECIPIENTS[l.to].toLowerCase()})` : RECIPIENTS[l.to];

function Disclosures({ initialPatient }: { initialPatient?: string }) {
  const store = useStore();
  const patients = usePatientIndex();
  const settings = useClinicSettings();
  const saver = useSaveReport();
  const [patientId, setPatientId] = useState<string | null>(initialPatient ?? null);
  const [fromDay, setFromDay] = useState(() => {
    const d = new Date();
    d.setFullYear(d.getFullYear() - ACCOUNTING_YEARS);
    return localDay(d);
  });
  const [toDay, setToDay] = useState(() => localDay(new Date()));
  const rangeWrong = rangeBackwards(fromDay, toDay);
  const found = useLiveQuery(
    () =>
      patientId && !rangeWrong
        ? listDisclosures(store, patientId, { from: dayStart(fromDay), to: dayEnd(toDay) })
        : Promise.resolve(undefined),
    [store, patientId, fromDay, toDay, rangeWrong],
  );
  const { owed, exempt } = accountingOf(found?.lines ?? []);
  const patient = patientId ? patients.get(patientId) : undefined;
  const period = [fromDay, toDay]
    .map((d) => (d ? formatCalendarDate(d) : ''))
    .filter(Boolean)
    .join(' to ');

  const savePdf = () => {
    if (!found || !patientId) return;
    return saver.save({
      key: 'pdf',
      what: `The accounting of disclosures for ${patient?.displayName ?? 'this patient'}`,
      name: 'Accounting of disclosures',
      suggestedName: `accounting-of-disclosures-${fromDay}-${toDay}.pdf`,
      build: async () => {
        const record = await store.get('patient', patientId);
        if (!record) throw new Error('This patient’s record could not be read.');
        const [{ buildDisclosureAccountingPdf }, fonts] = await Promise.all([
          import('../../../shared/print/disclosures'),
          loadPdfFonts(),
        ]);
        return buildDisclosureAccountingPdf({
          letterhead: letterhead(settings),
          patient: record,
          period,
          owed,
          exempt,
          unrecorded: found.unrecorded.length,
          generatedAt: new Date(),
          generatedBy: store.session.user.displayName,
          timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
          fonts,
        });
      },
      audited: (disclosure) =>
        patientReportSaved(
          store,
          patientId,
          reportWords(
            'Accounting of disclosures',
            owed.length,
            'disclosure',
            `${fromDay} to ${toDay}`,
          ),
          disclosure,
        ),
    });
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline">
        <Title order={2}>Accounting of disclosures</Title>
        <Group gap="md">
          {patientId && (
            <Anchor href={`#/patients/${patientId}/access-report`}>Who opened this chart</Anchor>
          )}
          <Anchor href="#/audit">Audit log</Anchor>
        </Group>
      </Group>
      {saver.dialog}
      <Text size="sm">
        A patient may ask which copies of their records left the clinic, to whom and why (HIPAA
        164.528), for up to {ACCOUNTING_YEARS} years back. Every print and export asks its recipient
        and purpose; this lists the answers.
      </Text>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label="Patient"
          placeholder="Choose a patient"
          searchable
          data={patients.all().map((p) => ({ value: p.id, label: p.displayName }))}
          value={patientId}
          onChange={setPatientId}
          miw={260}
        />
        <DayRangeInputs fromDay={fromDay} toDay={toDay} onFrom={setFromDay} onTo={setToDay} />
        <Button
          variant="default"
          onClick={() => void savePdf()}
          loading={saver.busy === 'pdf'}
          disabled={!found || rangeWrong}
        >
          Save as PDF
        </Button>
      </Group>
      {!patientId ? (
        <Text size="sm">Choose a patient to list the copies of their records that left.</Text>
      ) : found === undefined ? (
        rangeWrong ? null : (
          <Loader role="status" aria-label="Loading the accounting of disclosures" />
        )
      ) : (
        <>
          <Text size="sm" role="status">
            {owed.length === 0
              ? 'No disclosures that must be accounted for in this period.'
              : `${owed.length} disclosure${owed.length === 1 ? '' : 's'} to account for in this period.`}
          </Text>
          {owed.length > 0 && (
            <Table aria-label="Disclosures to account for" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Date</Table.Th>
                  <Table.Th>Recipient</Table.Th>
                  <Table.Th>What was disclosed</Table.Th>
                  <Table.Th>Purpose</Table.Th>
                  <Table.Th>By</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {owed.map((l) => (
                  <Table.Tr key={l.id}>
                    <Table.Td>{formatDateTime(l.at)}</Table.Td>
                    <Table.Td>{recipient(l)}</Table.Td>
                    <Table.Td>{l.what}</Table.Td>
                    <Table.Td>
                      {PURPOSES[l.purpose]}
                      {l.note ? `: ${l.note}` : ''}
                    </Table.Td>
                    <Table.Td>{l.by}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Title order={3}>Also released, not owed in the accounting</Title>
          {exempt.length === 0 ? (
            <Text size="sm">None in this period.</Text>
          ) : (
            <Table aria-label="Released copies not owed in the accounting" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Date</Table.Th>
                  <Table.Th>Recipient</Table.Th>
                  <Table.Th>What</Table.Th>
                  <Table.Th>Why it is not owed</Table.Th>
                  <Table.Th>By</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {exempt.map((l) => (
                  <Table.Tr key={l.id}>
                    <Table.Td>{formatDateTime(l.at)}</Table.Td>
                    <Table.Td>{recipient(l)}</Table.Td>
                    <Table.Td>{l.what}</Table.Td>
                    <Table.Td>{exemptionWords(l)}</Table.Td>
                    <Table.Td>{l.by}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {found.unrecorded.length > 0 && (
            <Text size="sm">
              {found.unrecorded.length} print{found.unrecorded.length === 1 ? '' : 's'} or export
              {found.unrecorded.length === 1 ? '' : 's'} in this period were made before KAT Chart
              asked for the recipient: see{' '}
              <Anchor href={`#/patients/${patientId}/access-report`}>who opened this chart</Anchor>.
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}
