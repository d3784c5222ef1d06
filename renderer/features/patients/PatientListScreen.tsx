import {
  Button,
  Group,
  Kbd,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { memo, useCallback, useDeferredValue, useMemo, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import { ageOn } from '../../../shared/model';
import { formatCalendarDate } from '../../app/format';
import { usePatientIndex } from '../../app/use-records';
import { VirtualTableBody, ariaRowCount } from '../../app/VirtualTableBody';
import type { PatientSummary } from '../../db/patient-index';
import {
  type ConsentBasis,
  ConsentStatusCell,
  useConsentBasis,
} from '../consent/ConsentStatusCell';

const nf = new Intl.NumberFormat();

export function PatientListScreen() {
  const index = usePatientIndex();
  const [query, setQuery] = useState('');
  // The field shows each keystroke at once; the list follows as soon as it can, and a keystroke
  // typed meanwhile interrupts the list's drawing rather than waiting for it (issue 20: a 60 ms
  // debounce alone put every keystroke over the 50 ms goal).
  const shown = useDeferredValue(query);
  const search = useRef<HTMLInputElement>(null);
  useHotkeys([['mod+K', () => search.current?.focus()]]);
  const results = useMemo(() => index.search(shown, Infinity), [index, shown, index.version]);

  return (
    <Stack gap="md">
      <PatientListHeading />
      <TextInput
        ref={search}
        label="Search patients"
        description="Name, date of birth or chart number — Ctrl+K to jump here"
        placeholder="e.g. okafor, 1987-04-12, KC-10012"
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        autoFocus
      />
      <Text size="sm" c="dimmed" aria-live="polite">
        {index.size === 0
          ? 'No patients yet. Add the first one with “Add patient”.'
          : shown
            ? `${nf.format(results.length)} matching of ${nf.format(index.size)} patients`
            : `${nf.format(index.size)} patients`}
      </Text>
      <PatientTable results={results} />
      {index.size > 0 && results.length === 0 && <Text>No patient matches “{shown}”.</Text>}
    </Stack>
  );
}

function PatientListHeading() {
  const [, navigate] = useLocation();
  return (
    <Group justify="space-between">
      <Title order={2}>Patients</Title>
      <Button onClick={() => navigate('/patients/new')} rightSection={<Kbd size="xs">Alt+N</Kbd>}>
        Add patient
      </Button>
    </Group>
  );
}

/**
 * Every patient found, drawn only around the screen; fixed columns, so they keep their widths
 * whichever rows are drawn. Memoized on the results: a keystroke re-draws the field at once and
 * this table only when the results have changed.
 */
const PatientTable = memo(function PatientTable({ results }: { results: PatientSummary[] }) {
  const [, navigate] = useLocation();
  const consent = useConsentBasis();
  // Ages are counted on today's date, read again when the day changes.
  const day = new Date().toDateString();
  const today = useMemo(() => new Date(day), [day]);
  const rowKey = useCallback((i: number) => results[i]!.id, [results]);
  const cells = useCallback(
    (i: number) => (
      <PatientCells patient={results[i]!} consent={consent} today={today} open={navigate} />
    ),
    [results, consent, today, navigate],
  );
  if (results.length === 0) return null;
  return (
    <Table
      highlightOnHover
      layout="fixed"
      aria-label="Patients"
      aria-rowcount={ariaRowCount(results.length)}
    >
      <Table.Thead>
        <Table.Tr aria-rowindex={1}>
          <Table.Th w="32%">Name</Table.Th>
          <Table.Th w="16%">Date of birth</Table.Th>
          <Table.Th w="8%">Age</Table.Th>
          <Table.Th w="16%">Chart number</Table.Th>
          <Table.Th w="28%">Consent status</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <VirtualTableBody count={results.length} columns={5} rowHeight={40} rowKey={rowKey} uniform>
        {cells}
      </VirtualTableBody>
    </Table>
  );
});

/**
 * Mantine's own cell class on plain cells: a row's five `Table.Td` were five Mantine components
 * (props, theme, styles) each, drawn for every row that scrolls into view (issue 20). The table
 * sets no column borders, the only thing `Table.Td` would add.
 */
const TD = Table.classes.td;

/** A patient's cells: drawn again only when that patient, the consent basis or the day changes. */
const PatientCells = memo(function PatientCells({
  patient: p,
  consent,
  today,
  open,
}: {
  patient: PatientSummary;
  consent: ConsentBasis | null | undefined;
  today: Date;
  open: (to: string) => void;
}) {
  return (
    <>
      <td className={TD}>
        <UnstyledButton
          onClick={() => open(`/patients/${p.id}`)}
          fw={500}
          c="teal.9"
          aria-label={`Open chart: ${p.displayName}`}
        >
          {p.displayName}
        </UnstyledButton>
      </td>
      <td className={TD}>{formatCalendarDate(p.dateOfBirth)}</td>
      <td className={TD}>{ageOn(p.dateOfBirth, today)}</td>
      <td className={TD}>{p.chartNumber ?? '—'}</td>
      <td className={TD}>
        <ConsentStatusCell patientId={p.id} basis={consent} />
      </td>
    </>
  );
});
