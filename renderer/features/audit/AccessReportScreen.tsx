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
import { accessByPerson, accessWords } from '../../../shared/rules/access-report';
import { useStore } from '../../app/app-state';
import { formatDateTime } from '../../app/format';
import { useClinicSettings, usePatientIndex } from '../../app/use-records';
import { listChartAccess, patientReportSaved, reportWords } from '../../db/access-report';
import { actionLabel } from './audit-labels';
import { buildAuditPdf } from './audit-pdf';
import { DayRangeInputs, dayEnd, dayStart, localDay, rangeBackwards } from './DayRange';
import { useSaveReport } from './use-save-report';

/**
 * "Who opened this chart" (issue 18 point 3): for one patient and a date range, each person who
 * read, printed, exported, used emergency access to or was refused the chart, and every such
 * event; saved as a PDF for a patient's request or a privacy review. Administrators only.
 */
export function AccessReportScreen({ patientId }: { patientId?: string }) {
  const store = useStore();
  if (!store.roles.includes('administrator'))
    return (
      <Alert color="gray" title="Administrators only">
        Only an administrator can see who opened a chart. Ask your clinic’s administrator.
      </Alert>
    );
  return <AccessReport initialPatient={patientId} />;
}

function AccessReport({ initialPatient }: { initialPatient?: string }) {
  const store = useStore();
  const patients = usePatientIndex();
  const settings = useClinicSettings();
  const [patientId, setPatientId] = useState<string | null>(initialPatient ?? null);
  const [fromDay, setFromDay] = useState(() => localDay(new Date(Date.now() - 90 * 86_400_000)));
  const [toDay, setToDay] = useState(() => localDay(new Date()));
  const saver = useSaveReport();
  const rangeWrong = rangeBackwards(fromDay, toDay);
  const lines = useLiveQuery(
    () =>
      patientId && !rangeWrong
        ? listChartAccess(store, patientId, { from: dayStart(fromDay), to: dayEnd(toDay) })
        : Promise.resolve(undefined),
    [store, patientId, fromDay, toDay, rangeWrong],
  );
  const people = lines ? accessByPerson(lines) : [];
  const patientName = patientId ? (patients.get(patientId)?.displayName ?? '') : '';
  const days = [fromDay, toDay].filter(Boolean).join(' to ');

  const savePdf = () => {
    if (!lines || !patientId) return;
    return saver.save({
      key: 'pdf',
      what: `The access report for ${patientName}`,
      name: 'Access report',
      suggestedName: `access-report-${fromDay || 'start'}-${toDay || 'today'}.pdf`,
      build: () =>
        buildAuditPdf({
          title: 'Access report',
          clinicName: settings.clinicName,
          entries: lines,
          filterSummary: `Patient: ${patientName} · ${days || 'all dates'}`,
          summaryLines: people.length
            ? people.map((p) => `${p.userName}: ${accessWords(p.counts)}`)
            : ['No one opened this chart in this period.'],
          chainSummary: 'Reads, prints, exports, emergency access and refused attempts.',
          generatedAt: new Date(),
          generatedBy: store.session.user.displayName,
        }),
      audited: (disclosure) =>
        patientReportSaved(
          store,
          patientId,
          reportWords('Access report', lines.length, 'event', days),
          disclosure,
        ),
    });
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline">
        <Title order={2}>Who opened this chart</Title>
        <Group gap="md">
          {patientId && (
            <Anchor href={`#/patients/${patientId}/disclosures`}>Accounting of disclosures</Anchor>
          )}
          <Anchor href="#/audit">Audit log</Anchor>
        </Group>
      </Group>
      {saver.dialog}
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
          disabled={!lines || rangeWrong}
        >
          Save as PDF
        </Button>
      </Group>
      {!patientId ? (
        <Text size="sm">Choose a patient to see who read, printed or exported their chart.</Text>
      ) : lines === undefined ? (
        rangeWrong ? null : (
          <Loader role="status" aria-label="Loading the access report" />
        )
      ) : (
        <>
          <Text size="sm" role="status">
            {people.length === 0
              ? `No one opened ${patientName}’s chart in this period.`
              : `${people.length} ${people.length === 1 ? 'person' : 'people'} opened ${patientName}’s chart in this period (${lines.length} event${lines.length === 1 ? '' : 's'}).`}
          </Text>
          {people.length > 0 && (
            <Table aria-label="People who opened the chart" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Person</Table.Th>
                  <Table.Th>What they did</Table.Th>
                  <Table.Th>First</Table.Th>
                  <Table.Th>Last</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {people.map((p) => (
                  <Table.Tr key={p.userId}>
                    <Table.Td>{p.userName}</Table.Td>
                    <Table.Td>{accessWords(p.counts)}</Table.Td>
                    <Table.Td>{formatDateTime(p.first)}</Table.Td>
                    <Table.Td>{formatDateTime(p.last)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {lines.length > 0 && (
            <>
              <Title order={3}>Every access</Title>
              <Table.ScrollContainer minWidth={700}>
                <Table aria-label="Every access to the chart" striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>When</Table.Th>
                      <Table.Th>Person</Table.Th>
                      <Table.Th>Action</Table.Th>
                      <Table.Th>Record</Table.Th>
                      <Table.Th>Detail</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {lines.slice(0, 500).map((l) => (
                      <Table.Tr key={l.id}>
                        <Table.Td>{formatDateTime(l.at)}</Table.Td>
                        <Table.Td>{l.userName}</Table.Td>
                        <Table.Td>{actionLabel(l.action)}</Table.Td>
                        <Table.Td>{l.recordWords}</Table.Td>
                        <Table.Td>{l.detail}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {lines.length > 500 && (
                <Text size="sm">The newest 500 are shown; the PDF holds all {lines.length}.</Text>
              )}
            </>
          )}
        </>
      )}
    </Stack>
  );
}
