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
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { useMemo, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import { ageOn } from '../../../shared/model';
import { formatCalendarDate } from '../../app/format';
import { usePatientIndex } from '../../app/use-records';
import { VirtualTableBody, ariaRowCount } from '../../app/VirtualTableBody';
import { ConsentStatusCell, useConsentSummaries } from '../consent/ConsentStatusCell';

const nf = new Intl.NumberFormat();

export function PatientListScreen() {
  const index = usePatientIndex();
  const [, navigate] = useLocation();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 60);
  const search = useRef<HTMLInputElement>(null);
  useHotkeys([['mod+K', () => search.current?.focus()]]);
  const results = useMemo(
    () => index.search(debounced, Infinity),
    [index, debounced, index.version],
  );
  const today = new Date();
  const consent = useConsentSummaries();

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Patients</Title>
        <Button onClick={() => navigate('/patients/new')} rightSection={<Kbd size="xs">Alt+N</Kbd>}>
          Add patient
        </Button>
      </Group>
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
          : debounced
            ? `${nf.format(results.length)} matching of ${nf.format(index.size)} patients`
            : `${nf.format(index.size)} patients`}
      </Text>
      {results.length > 0 && (
        // Every patient, drawn only around the screen; fixed columns, so they keep their widths
        // whichever rows are drawn.
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
          <VirtualTableBody
            count={results.length}
            columns={5}
            rowHeight={41}
            rowKey={(i) => results[i]!.id}
          >
            {(i) => {
              const p = results[i]!;
              return (
                <>
                  <Table.Td>
                    <UnstyledButton
                      onClick={() => navigate(`/patients/${p.id}`)}
                      fw={500}
                      c="teal.9"
                      aria-label={`Open chart: ${p.displayName}`}
                    >
                      {p.displayName}
                    </UnstyledButton>
                  </Table.Td>
                  <Table.Td>{formatCalendarDate(p.dateOfBirth)}</Table.Td>
                  <Table.Td>{ageOn(p.dateOfBirth, today)}</Table.Td>
                  <Table.Td>{p.chartNumber ?? '—'}</Table.Td>
                  <Table.Td>
                    <ConsentStatusCell summary={consent?.get(p.id)} />
                  </Table.Td>
                </>
              );
            }}
          </VirtualTableBody>
        </Table>
      )}
      {index.size > 0 && results.length === 0 && <Text>No patient matches “{debounced}”.</Text>}
    </Stack>
  );
}
