import {
  Badge,
  Button,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { VISIT_LABELS } from '../../../shared/model';
import { clinicDay } from '../../../shared/rules/dosing/clinic-day';
import { useStore } from '../../app/app-state';
import { formatCalendarDate, formatDate, formatTime } from '../../app/format';
import { usePatientIndex, useRecordsOfKind } from '../../app/use-records';
import { appointmentsOnDay, formsNeededOn } from '../../db/appointments-repository';
import { programName } from '../../../shared/rules/consent-packets';
import { usePackets } from '../consent/use-consent';
import { AddAppointmentForm } from './AddAppointmentForm';
import { BatchPrintButton } from './BatchPrintButton';

const NOWRAP = { whiteSpace: 'nowrap' } as const;

const shiftDay = (day: string, by: number) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return clinicDay(new Date(y, m - 1, d + by, 12));
};

/** The day schedule: who comes when, for what, and which consent forms they still need. */
export function ScheduleScreen() {
  const store = useStore();
  const index = usePatientIndex();
  const [, navigate] = useLocation();
  const today = clinicDay(new Date());
  const [day, setDay] = useState(today);
  const all = useRecordsOfKind('appointment');
  const users = useRecordsOfKind('user');
  const needs = useLiveQuery(() => formsNeededOn(store, day, new Date()), [store, day]);
  const appointments = all && appointmentsOnDay(all, day);
  const label = formatCalendarDate(day);
  const packets = usePackets();
  const program = (p?: string) => (p ? programName(packets ?? [], p) : '—');

  return (
    <Stack gap="md" maw={1100}>
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Schedule</Title>
        <BatchPrintButton day={day} />
      </Group>
      <Group align="flex-end">
        <TextInput
          label="Day"
          type="date"
          value={day}
          onChange={(e) => e.currentTarget.value && setDay(e.currentTarget.value)}
        />
        <Button variant="default" onClick={() => setDay(shiftDay(day, -1))}>
          Previous day
        </Button>
        <Button variant="default" onClick={() => setDay(today)}>
          Today
        </Button>
        <Button variant="default" onClick={() => setDay(shiftDay(today, 1))}>
          Tomorrow
        </Button>
        <Button variant="default" onClick={() => setDay(shiftDay(day, 1))}>
          Next day
        </Button>
      </Group>
      <Title order={3} size="h4">
        {label}
      </Title>
      {appointments === undefined ? (
        <Loader role="status" aria-label="Loading the schedule" />
      ) : appointments.length === 0 ? (
        <Text>No appointments on {label}.</Text>
      ) : (
        <Table striped aria-label={`Appointments on ${label}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time</Table.Th>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Visit</Table.Th>
              <Table.Th>Clinician</Table.Th>
              <Table.Th>Program</Table.Th>
              <Table.Th>Consent forms to sign</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {appointments.map((a) => {
              const name = index.get(a.patientId)?.displayName ?? 'Patient not on this device';
              const need = needs?.find((n) => n.patientId === a.patientId);
              const forms = need?.forms;
              // Forms in their last 30 days at the visit: renew them while the patient is here.
              const renew = (need?.renewSoon ?? []).filter(
                (r) => !forms?.some((f) => f.template.templateKey === r.template.templateKey),
              );
              return (
                <Table.Tr key={a.id} style={a.cancelled ? { textDecoration: 'line-through' } : {}}>
                  <Table.Td style={NOWRAP}>{formatTime(a.start)}</Table.Td>
                  <Table.Td style={NOWRAP}>
                    <UnstyledButton
                      fw={500}
                      c="teal.9"
                      onClick={() => navigate(`/patients/${a.patientId}`)}
                      aria-label={`Open chart: ${name}`}
                    >
                      {name}
                    </UnstyledButton>
                  </Table.Td>
                  <Table.Td>
                    {VISIT_LABELS[a.visitKind]}
                    {a.cancelled ? ' (cancelled)' : ''}
                  </Table.Td>
                  <Table.Td style={NOWRAP}>
                    {users?.find((u) => u.id === a.clinicianId)?.displayName ?? '—'}
                  </Table.Td>
                  <Table.Td>{program(a.program)}</Table.Td>
                  <Table.Td>
                    {a.cancelled || forms === undefined ? (
                      '—'
                    ) : forms.length === 0 ? (
                      <Badge color="teal" variant="light">
                        All current
                      </Badge>
                    ) : (
                      <Text size="sm">{forms.map((f) => f.template.title).join('; ')}</Text>
                    )}
                    {!a.cancelled && renew.length > 0 && (
                      <Text size="sm" fw={500}>
                        Expires soon:{' '}
                        {renew
                          .map((r) => `${r.template.title} (${formatDate(r.expiresAt)})`)
                          .join('; ')}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      <AddAppointmentForm key={day} day={day} />
    </Stack>
  );
}
