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
import { ConsentStatusCell, useConsentSummaries } from '../consent/ConsentStatusCell';

const LIMIT = 100;
const nf = new Intl.NumberFormat();

export function PatientListScreen() {
  const index = usePatientIndex();
  const [, navigate] = useLocation();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 60);
  const search = useRef<HTMLInputElement>(null);
  useHotkeys([['mod+K', () => search.current?.focus()]]);
  const results = useMemo(() => index.search(debounced, LIMIT), [index, debounced, index.version]);
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
            ? `${results.length === LIMIT ? `First ${LIMIT}` : nf.format(results.length)} matching of ${nf.format(index.size)} patients`
            : `${nf.format(index.size)} patients${index.size > LIMIT ? ` — showing the first ${LIMIT}; type to narrow` : ''}`}
      </Text>
      {results.length > 0 && (
        <Table highlightOnHover striped aria-label="Patients">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Date of birth</Table.Th>
              <Table.Th>Age</Table.Th>
              <Table.Th>Chart number</Table.Th>
              <Table.Th>Consent status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {results.map((p) => (
              <Table.Tr key={p.id}>
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
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {index.size > 0 && results.length === 0 && <Text>No patient matches “{debounced}”.</Text>}
    </Stack>
  );
}
