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
import { useMemo, useState } from 'react';
import { AUDIT_ACTIONS, type AuditAction } from '../../../shared/model';
import { utf8 } from '../../../shared/util/bytes';
import { useStore } from '../../app/app-state';
import { VirtualTableBody, ariaRowCount } from '../../app/VirtualTableBody';
import { formatDateTime } from '../../app/format';
import { useClinicSettings, usePatientIndex, useRecordsOfKind } from '../../app/use-records';
import type { ChainReport } from '../../db/audit-chain';
import { type AuditFilter, auditCsv, auditLogExported } from '../../db/audit-repository';
import { AUDIT_ACTION_LABELS, actionLabel } from './audit-labels';
import { buildAuditPdf } from './audit-pdf';
import { DayRangeInputs, dayEnd, dayStart } from './DayRange';
import { AuditSealPanel } from './AuditSealPanel';
import { ChainCheck, chainSummary } from './ChainCheck';
import { SignInFailuresNotice } from './SignInFailuresNotice';
import { useAuditLog } from './use-audit-log';
import { useSaveReport } from './use-save-report';

/** Administrators review who did what (HIPAA 45 CFR 164.308(a)(1)(ii)(D) activity review). */
export function AuditLogScreen() {
  const store = useStore();
  if (!store.roles.includes('administrator'))
    return (
      <Alert color="gray" title="Administrators only">
        Only an administrator can review the audit log.
      </Alert>
    );
  return <AuditLog />;
}

function AuditLog() {
  const store = useStore();
  const users = useRecordsOfKind('user');
  const settings = useClinicSettings();
  const patients = usePatientIndex();
  const [userId, setUserId] = useState<string | null>(null);
  const [patientId, setPatientId] = useState<string | null>(null);
  const [action, setAction] = useState<string | null>(null);
  const [fromDay, setFromDay] = useState('');
  const [toDay, setToDay] = useState('');
  const [report, setReport] = useState<ChainReport>();
  const saver = useSaveReport();
  const filter: AuditFilter = useMemo(
    () => ({
      userId: userId ?? undefined,
      patientId: patientId ?? undefined,
      action: (action as AuditAction | null) ?? undefined,
      from: dayStart(fromDay),
      to: dayEnd(toDay),
    }),
    [userId, patientId, action, fromDay, toDay],
  );
  const entries = useAuditLog(filter);

  const filterSummary = [
    userId && `user ${users?.find((u) => u.id === userId)?.displayName ?? userId}`,
    patientId && `patient ${patients.get(patientId)?.displayName ?? patientId}`,
    action && `action ${actionLabel(action as AuditAction)}`,
    fromDay && `from ${fromDay}`,
    toDay && `to ${toDay}`,
  ].filter(Boolean);

  const exportAs = (format: 'CSV' | 'PDF') => {
    if (!entries) return;
    const stamp = new Date().toISOString().slice(0, 10);
    return saver.save({
      key: format,
      what: `The audit log as ${format} (${entries.length} event${entries.length === 1 ? '' : 's'})`,
      name: 'Audit log',
      suggestedName: `audit-log-${stamp}.${format.toLowerCase()}`,
      ...(format === 'CSV'
        ? {
            build: async () => utf8(auditCsv(entries)),
            fileType: { label: 'CSV spreadsheet', extension: 'csv', mimeType: 'text/csv' },
          }
        : {
            build: () =>
              buildAuditPdf({
                clinicName: settings.clinicName,
                entries,
                filterSummary: `Filter: ${filterSummary.join(', ') || 'all events'}`,
                chainSummary: chainSummary(report),
                generatedAt: new Date(),
                generatedBy: store.session.user.displayName,
              }),
          }),
      audited: (disclosure) => auditLogExported(store, format, entries.length, filter, disclosure),
    });
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline">
        <Title order={2}>Audit log</Title>
        <Group gap="md">
          <Anchor href="#/access-report">Who opened a chart</Anchor>
          <Anchor href="#/disclosures">Accounting of disclosures</Anchor>
          <Anchor href="#/emergency-reviews">Emergency access review</Anchor>
        </Group>
      </Group>
      {saver.dialog}
      <SignInFailuresNotice />
      <ChainCheck report={report} onChecked={setReport} />
      <AuditSealPanel />
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label="User"
          placeholder="Any user"
          clearable
          searchable
          data={(users ?? []).map((u) => ({ value: u.id, label: u.displayName }))}
          value={userId}
          onChange={setUserId}
        />
        <Select
          label="Patient"
          placeholder="Any patient"
          clearable
          searchable
          data={patients.all().map((p) => ({ value: p.id, label: p.displayName }))}
          value={patientId}
          onChange={setPatientId}
        />
        <Select
          label="Action"
          placeholder="Any action"
          clearable
          data={AUDIT_ACTIONS.map((a) => ({ value: a, label: AUDIT_ACTION_LABELS[a] }))}
          value={action}
          onChange={setAction}
        />
        <DayRangeInputs fromDay={fromDay} toDay={toDay} onFrom={setFromDay} onTo={setToDay} />
      </Group>
      <Group justify="space-between">
        <Text size="sm" role="status">
          {entries === undefined
            ? 'Loading events…'
            : `${entries.length} event${entries.length === 1 ? '' : 's'}`}
        </Text>
        <Group gap="xs">
          <Button
            variant="default"
            onClick={() => void exportAs('CSV')}
            loading={saver.busy === 'CSV'}
            disabled={!entries?.length}
          >
            Export CSV
          </Button>
          <Button
            variant="default"
            onClick={() => void exportAs('PDF')}
            loading={saver.busy === 'PDF'}
            disabled={!entries?.length}
          >
            Export PDF
          </Button>
        </Group>
      </Group>
      {entries === undefined ? (
        <Loader role="status" aria-label="Loading audit events" />
      ) : (
        <Table.ScrollContainer minWidth={800}>
          {/* Every event in the range, drawn only around the screen (issue 20); fixed columns, so
              they keep their widths whichever rows are drawn. */}
          <Table
            highlightOnHover
            layout="fixed"
            aria-label="Audit events"
            aria-rowcount={ariaRowCount(entries.length)}
          >
            <Table.Thead>
              <Table.Tr aria-rowindex={1}>
                <Table.Th w="15%">When</Table.Th>
                <Table.Th w="14%">Action</Table.Th>
                <Table.Th w="12%">User</Table.Th>
                <Table.Th w="13%">Patient</Table.Th>
                <Table.Th w="10%">Record</Table.Th>
                <Table.Th w="22%">Detail</Table.Th>
                <Table.Th w="14%">Device · #</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <VirtualTableBody
              count={entries.length}
              columns={7}
              rowHeight={41}
              rowKey={(i) => entries[i]!.id}
            >
              {(i) => {
                const e = entries[i]!;
                return (
                  <>
                    <Table.Td>{formatDateTime(e.at)}</Table.Td>
                    <Table.Td>{actionLabel(e.action)}</Table.Td>
                    <Table.Td>{e.userName}</Table.Td>
                    <Table.Td>{e.patientName}</Table.Td>
                    <Table.Td>{e.recordKind}</Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>{e.detail}</Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>
                      {e.deviceId}
                      {e.seq ? ` · ${e.seq}` : ''}
                    </Table.Td>
                  </>
                );
              }}
            </VirtualTableBody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
