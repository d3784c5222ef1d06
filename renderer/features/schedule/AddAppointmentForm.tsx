import {
  Alert,
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import { VISIT_KINDS, VISIT_LABELS, type VisitKind } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { errorMessage, formatCalendarDate } from '../../app/format';
import { usePatientIndex, useRecordsOfKind } from '../../app/use-records';
import { KeptDraftNotice } from '../../app/KeptDraftNotice';
import { useValueDraft } from '../../app/use-value-draft';
import { addAppointment } from '../../db/appointments-repository';
import { useLivePackets } from '../consent/use-consent';

const NO_PROGRAM = 'none';

/** Book a visit: patient, day and time, kind of visit, clinician and program. */
export function AddAppointmentForm({ day }: { day: string }) {
  const store = useStore();
  const index = usePatientIndex();
  const users = useRecordsOfKind('user');
  const [patientId, setPatientId] = useState<string | null>(null);
  const [date, setDate] = useState(day);
  const [time, setTime] = useState('09:00');
  const [duration, setDuration] = useState<number | string>(120);
  const [visitKind, setVisitKind] = useState<VisitKind>('dosing');
  const [clinicianId, setClinicianId] = useState<string | null>(null);
  const packets = useLivePackets();
  const [chosenProgram, setProgram] = useState<string>();
  const program = chosenProgram ?? packets?.[0]?.program ?? NO_PROGRAM;
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  // A booking half filled in is kept (encrypted) across reload and lock, like every typed text.
  // The program the user chose, not the first packet's: that default arrives with the packets,
  // and, arriving after the kept copy was looked for, it would count as typing.
  const kept = useValueDraft(
    'appointment-new',
    { patientId, date, time, duration, visitKind, clinicianId, program: chosenProgram },
    (v) => {
      setPatientId(v.patientId);
      setDate(v.date);
      setTime(v.time);
      setDuration(v.duration);
      setVisitKind(v.visitKind);
      setClinicianId(v.clinicianId);
      setProgram(v.program);
    },
  );

  const patients = useMemo(
    () =>
      index
        .all()
        .filter((p) => p.active)
        .map((p) => ({
          value: p.id,
          label: `${p.displayName} · ${formatCalendarDate(p.dateOfBirth)}`,
        })),
    [index, index.version],
  );
  const clinicians = (users ?? [])
    .filter((u) => u.roles.some((r) => r === 'prescriber' || r === 'therapist'))
    .map((u) => ({ value: u.id, label: u.displayName }));

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    setBusy(true);
    try {
      const a = await addAppointment(store, {
        patientId: patientId ?? '',
        clinicianId: clinicianId ?? '',
        day: date,
        time,
        durationMinutes: Number(duration),
        visitKind,
        program: program === NO_PROGRAM ? undefined : program,
      });
      notifications.show({
        color: 'teal',
        message: `Booked ${index.get(a.patientId)?.displayName ?? 'the patient'} for ${formatCalendarDate(date)} at ${time}.`,
      });
      setPatientId(null);
      await kept.clear({
        patientId: null,
        date,
        time,
        duration,
        visitKind,
        clinicianId,
        program: chosenProgram,
      });
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="add-appointment-title">
      <Title order={3} size="h4" id="add-appointment-title" mb="sm">
        Add appointment
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <KeptDraftNotice at={kept.restoredAt} then="review it and add the appointment" />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label="Patient"
              placeholder="Type a name"
              searchable
              data={patients}
              value={patientId}
              onChange={setPatientId}
              allowDeselect={false}
              nothingFoundMessage="No patient by that name"
              limit={50}
            />
            <TextInput
              label="Day"
              type="date"
              value={date}
              onChange={(e) => setDate(e.currentTarget.value)}
            />
            <TextInput
              label="Time"
              type="time"
              value={time}
              onChange={(e) => setTime(e.currentTarget.value)}
            />
            <Select
              label="Visit"
              data={VISIT_KINDS.map((k) => ({ value: k, label: VISIT_LABELS[k] }))}
              value={visitKind}
              onChange={(v) => v && setVisitKind(v as VisitKind)}
              allowDeselect={false}
            />
            <Select
              label="Clinician"
              placeholder="Choose"
              data={clinicians}
              value={clinicianId}
              onChange={setClinicianId}
              allowDeselect={false}
            />
            <Select
              label="Program"
              data={[
                ...(packets ?? []).map((p) => ({ value: p.program, label: p.name })),
                { value: NO_PROGRAM, label: 'No program' },
              ]}
              value={program}
              onChange={(v) => v && setProgram(v)}
              allowDeselect={false}
            />
            <NumberInput
              label="Minutes"
              min={5}
              max={720}
              step={15}
              value={duration}
              onChange={setDuration}
            />
          </SimpleGrid>
          {failure && (
            <Alert color="red" role="alert" title="Not booked">
              {failure}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={busy}>
              Add appointment
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
