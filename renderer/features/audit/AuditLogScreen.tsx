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
  UnstyledButton,
} from '@mantine/core';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { AUDIT_ACTIONS, type AuditAction } from '../../../shared/model';
import { utf8 } from '../../../shared/util/bytes';
import { useStore } from '../../app/app-state';
import { VirtualTableBody, ariaRowCount } from '../../app/VirtualTableBody';
import { formatDateTime } from '../../app/format';
import { useClinicSettings, usePatientIndex, useRecordsOfKind } from '../../app/use-records';
import type { ChainBreak, ChainReport } from '../../db/audit-chain';
import {
  type AuditEntry,
  type AuditFilter,
  auditCsv,
  auditLogExported,
} from '../../db/audit-repository';
import { AUDIT_ACTION_LABELS, actionLabel } from './audit-labels';
import { DayRangeInputs, dayEnd, dayStart } from './DayRange';
import { AuditSealPanel } from './AuditSealPanel';
import { ChainCheck, chainSummary } from './ChainCheck';
import { SignInFailuresNotice } from './SignInFailuresNotice';
import { useAuditLog } from './use-audit-log';
import { useSaveReport } from './use-save-report';
import {
  AUDIT_PRESETS,
  type AuditPreset,
  type AuditSort,
  type AuditSortColumn,
  DEFAULT_AUDIT_SORT,
  nextAuditSort,
  presetDays,
  presetOf,
  sortAuditEntries,
} from './audit-view';
import classes from './audit-log.module.css';

const ROW_HEIGHT = 41;

/** The event a chain check points at: where it broke, or the last one before events went missing. */
type ChainMark = { deviceId: string; seq: number; eventId?: string; words: string };

const markOf = (deviceId: string, b: ChainBreak): ChainMark =>
  b.eventId
    ? { deviceId, seq: b.seq, eventId: b.eventId, words: 'Chain broken here' }
    : { deviceId, seq: b.seq - 1, words: 'Events missing after this one' };

const marks = (m: ChainMark, e: AuditEntry) =>
  m.eventId ? m.eventId === e.id : m.deviceId === e.deviceId && m.seq === e.seq;

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
  const [sort, setSort] = useState<AuditSort>(DEFAULT_AUDIT_SORT);
  const [goTo, setGoTo] = useState<ChainMark>();
  const table = useRef<HTMLTableElement>(null);
  const saver = useSaveReport();
  // Reviewing the log is itself an access to record (issue 18 point 3; HIPAA 45 CFR 164.312(b)
  // audit controls): once per visit, however often the screen draws. Recorded before the log is
  // read, so the reviewer's own event is in the first page and does not make it read twice.
  const logged = useRef(false);
  const [recorded, setRecorded] = useState(false);
  useEffect(() => {
    if (logged.current) return;
    logged.current = true;
    void store.audit('audit-viewed').finally(() => setRecorded(true));
  }, [store]);
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
  const log = useAuditLog(filter, recorded);
  // Every event, for the exports; the first page alone until the rest is read.
  const entries = log?.stale ? undefined : log?.all;
  const byTime =
    sort.column === DEFAULT_AUDIT_SORT.column && sort.direction === DEFAULT_AUDIT_SORT.direction;
  const all = log?.all;
  const newest = log?.newest;
  const rows = useMemo(
    () => (all ? sortAuditEntries(all, sort) : byTime ? newest : undefined),
    [all, newest, sort, byTime],
  );
  // Past the first page, one row says "Loading older events…" until they are read.
  const count = rows ? rows.length + (all ? 0 : 1) : 0;
  const preset = presetOf(fromDay, toDay);
  const chainMarks = useMemo(
    () =>
      (report?.devices ?? []).flatMap((d) =>
        d.firstBreak ? [markOf(d.deviceId, d.firstBreak)] : [],
      ),
    [report],
  );
  const markFor = (e: AuditEntry) => chainMarks.find((m) => marks(m, e));

  const choosePreset = (p: AuditPreset) => {
    const days = presetDays(p);
    setFromDay(days.from);
    setToDay(days.to);
  };

  // "Show in the log": every event, in chain order, scrolled to the one the check points at.
  const showInLog = (deviceId: string, b: ChainBreak) => {
    setUserId(null);
    setPatientId(null);
    setAction(null);
    setFromDay('');
    setToDay('');
    setSort(DEFAULT_AUDIT_SORT);
    setGoTo(markOf(deviceId, b));
  };
  useEffect(() => {
    if (!goTo || !rows || !table.current) return;
    const index = rows.findIndex((e) => marks(goTo, e));
    if (index < 0) return;
    setGoTo(undefined);
    // Only rows near the screen are drawn: scroll to where the row will be, then centre it.
    const top = table.current.getBoundingClientRect().top + window.scrollY;
    window.scrollTo({ top: top + ROW_HEIGHT * (index + 1) - window.innerHeight / 3 });
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        const row = table.current?.querySelector<HTMLElement>(`tr[data-index="${index}"]`);
        row?.scrollIntoView({ block: 'center' });
        row?.focus({ preventScroll: true });
      }),
    );
  }, [goTo, rows]);

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
            // pdf-lib and its fonts (1.1 MB of script) load when a PDF is asked for, not with
            // the log (issue 20: the screen's code was part of its first-draw time).
            build: async () =>
              (await import('./audit-pdf')).buildAuditPdf({
                clinicName: settings.clinicName,
                entries,
                filterSummary: `Filter: ${filterSummary.join(', ') || 'all events'}`,
                chainSummary: chainSummary(report),
                generatedAt: new Date(),
                generatedBy: store.session.user.displayName,
              }),
          }),
      audited: (disclosure) =>
        auditLogExported(
          store,
          format,
          entries.length,
          filter,
          disclosure,
          entries.map((e) => e.patientId),
        ),
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
      <ChainCheck report={report} onChecked={setReport} onShowEvent={showInLog} />
      <AuditSealPanel />
      <Group gap="xs" role="group" aria-labelledby="audit-period">
        <Text size="sm" fw={500} id="audit-period">
          Review period
        </Text>
        {AUDIT_PRESETS.map((p) => (
          <Button
            key={p.key}
            size="xs"
            variant={preset === p.key ? 'filled' : 'default'}
            aria-pressed={preset === p.key}
            onClick={() => choosePreset(p.key)}
          >
            {p.label}
          </Button>
        ))}
      </Group>
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
          {!log || log.stale
            ? 'Loading events…'
            : all
              ? `${all.length} event${all.length === 1 ? '' : 's'}`
              : `The newest ${log.newest.length} events · loading older events…`}
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
      {rows === undefined ? (
        <Loader role="status" aria-label="Loading audit events" />
      ) : (
        <Table.ScrollContainer minWidth={900}>
          {/* Every event in the range, drawn only around the screen (issue 20); fixed columns, so
              they keep their widths whichever rows are drawn. */}
          <Table
            ref={table}
            highlightOnHover
            layout="fixed"
            aria-label="Audit events"
            // -1: how many is not known yet (WAI-ARIA aria-rowcount).
            aria-rowcount={all ? ariaRowCount(count) : -1}
          >
            <Table.Thead>
              <Table.Tr aria-rowindex={1}>
                <SortableTh w="16%" column="at" sort={sort} onSort={setSort}>
                  When
                </SortableTh>
                <SortableTh w="13%" column="action" sort={sort} onSort={setSort}>
                  Action
                </SortableTh>
                <SortableTh w="12%" column="user" sort={sort} onSort={setSort}>
                  User
                </SortableTh>
                <SortableTh w="13%" column="patient" sort={sort} onSort={setSort}>
                  Patient
                </SortableTh>
                <SortableTh w="11%" column="record" sort={sort} onSort={setSort}>
                  Record
                </SortableTh>
                <Table.Th w="19%">Detail</Table.Th>
                <SortableTh w="16%" column="computer" sort={sort} onSort={setSort}>
                  Computer · #
                </SortableTh>
              </Table.Tr>
            </Table.Thead>
            <VirtualTableBody
              count={count}
              columns={7}
              rowHeight={ROW_HEIGHT}
              rowKey={(i) => rows[i]?.id ?? `older-${i}`}
              rowProps={(i) =>
                rows[i] && markFor(rows[i])
                  ? { className: classes.broken, tabIndex: -1 }
                  : undefined
              }
            >
              {(i) => {
                const e = rows[i];
                if (!e)
                  return (
                    <Table.Td colSpan={7} c="dimmed">
                      Loading older events…
                    </Table.Td>
                  );
                const mark = markFor(e);
                return (
                  <>
                    <Table.Td>{formatDateTime(e.at)}</Table.Td>
                    <Table.Td>{actionLabel(e.action)}</Table.Td>
                    <Table.Td>{e.userName}</Table.Td>
                    <Table.Td>{e.patientName}</Table.Td>
                    <Table.Td>{e.recordWords}</Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>
                      {mark && (
                        <Text span fw={700} c="red.8" size="sm">
                          {mark.words}.{' '}
                        </Text>
                      )}
                      {e.detail}
                    </Table.Td>
                    <Table.Td title={e.deviceId}>
                      {e.deviceLabel}
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

/** A column header that sorts the log; screen readers hear the order through `aria-sort`. */
function SortableTh(props: {
  column: AuditSortColumn;
  sort: AuditSort;
  onSort: (s: AuditSort) => void;
  w: string;
  children: ReactNode;
}) {
  const active = props.sort.column === props.column;
  return (
    <Table.Th w={props.w} aria-sort={active ? props.sort.direction : 'none'}>
      <UnstyledButton
        className={classes.sort}
        onClick={() => props.onSort(nextAuditSort(props.sort, props.column))}
      >
        {props.children}
        <span aria-hidden>
          {' '}
          {active ? (props.sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
        </span>
      </UnstyledButton>
    </Table.Th>
  );
}
