import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useLocation } from 'wouter';
import {
  type Appointment,
  type Encounter,
  SETTING_LABELS,
  type SessionNote,
  VISIT_KINDS,
  VISIT_LABELS,
  type VisitKind,
} from '../../../shared/model';
import { copyForwardSource } from '../../../shared/rules/copy-forward';
import { can } from '../../../shared/rules/permissions';
import { isLateEntry } from '../../../shared/rules/visits';
import { useStore } from '../../app/app-state';
import type { VisitActionProps } from '../../app/contributions';
import { errorMessage, formatDate, formatDateTime } from '../../app/format';
import { usePatientRecords } from '../../app/use-records';
import { type NoteVisit, startNote, visitKindForTemplate } from '../../db/notes-repository';
import { templateForVisit, useNoteTemplates } from './templates';

const NEW = 'new';
type Setting = Encounter['setting'];

/** Today's date and the time now on this device, as the fields show them ("2026-11-20", "14:05"). */
const pad = (n: number) => String(n).padStart(2, '0');
const dayOf = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const timeOf = (d: Date) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;

/** Chart action: pick a template and the visit it documents, then open the new draft. */
export function NewNoteAction({ patientId }: { patientId: string }) {
  const store = useStore();
  const [opened, setOpened] = useState(false);
  // Set up when first opened, not with the chart (see AddNoteToVisit).
  const [used, setUsed] = useState(false);
  if (!can(store.roles, 'write', 'note')) return null;
  return (
    <>
      <Button
        onClick={() => {
          setUsed(true);
          setOpened(true);
        }}
      >
        New note
      </Button>
      {used && (
        <NewNoteDialog patientId={patientId} opened={opened} onClose={() => setOpened(false)} />
      )}
    </>
  );
}

/** On a visit of the course: a note documenting that visit (the dosing visit's session note). */
export function AddNoteToVisit({ patientId, visit }: VisitActionProps) {
  const store = useStore();
  const [opened, setOpened] = useState(false);
  // The dialog (its templates' live read, the visits it offers) is set up when first opened, not
  // for every visit drawn: a long chart draws a dozen visits at once (issue 20, chart open).
  const [used, setUsed] = useState(false);
  if (!can(store.roles, 'write', 'note') || visit.status === 'entered-in-error') return null;
  return (
    <>
      <Button
        size="compact-sm"
        variant="subtle"
        onClick={() => {
          setUsed(true);
          setOpened(true);
        }}
      >
        Add note to this visit
      </Button>
      {used && (
        <NewNoteDialog
          patientId={patientId}
          opened={opened}
          onClose={() => setOpened(false)}
          preset={{ encounterId: visit.id }}
        />
      )}
    </>
  );
}

/**
 * "New note": the template, then which visit it documents — a visit already on the chart (the
 * dosing visit, a booked appointment's), or a new one with its date and time of service, length
 * and place. `preset` opens it on one visit (from a visit on the chart, or a booked appointment).
 */
export function NewNoteDialog(props: {
  patientId: string;
  opened: boolean;
  onClose: () => void;
  preset?: { encounterId: string } | { appointment: Appointment };
}) {
  const store = useStore();
  const [, navigate] = useLocation();
  const templates = useNoteTemplates();
  const records = usePatientRecords(props.patientId);
  const [key, setKey] = useState('');
  const [visitId, setVisitId] = useState(NEW);
  const [visitKind, setVisitKind] = useState<VisitKind | null>(null);
  const [day, setDay] = useState(() => dayOf(new Date()));
  const [time, setTime] = useState(() => timeOf(new Date()));
  const [minutes, setMinutes] = useState<number | string>('');
  const [setting, setSetting] = useState<Setting>('in-office');
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [copy, setCopy] = useState(false);
  const source = useMemo(
    () =>
      key
        ? copyForwardSource(
            (records ?? []).filter((r): r is SessionNote => r.kind === 'note'),
            props.patientId,
            key,
          )
        : undefined,
    [records, props.patientId, key],
  );

  // Visits on the chart to choose from: the last two weeks' and every booked visit not yet charted.
  const presetAppointment =
    props.preset && 'appointment' in props.preset ? props.preset.appointment : undefined;
  const presetEncounter =
    props.preset && 'encounterId' in props.preset ? props.preset.encounterId : undefined;
  const visits = useMemo(
    () => recentVisits(records ?? [], presetEncounter),
    [records, presetEncounter],
  );

  useEffect(() => {
    if (!props.opened) return;
    setFailure(undefined);
    setCopy(false);
    setDay(dayOf(new Date()));
    setTime(timeOf(new Date()));
    const kind =
      presetAppointment?.visitKind ?? visits.find((v) => v.id === presetEncounter)?.visitKind;
    setVisitId(
      presetAppointment ? `appointment:${presetAppointment.id}` : (presetEncounter ?? NEW),
    );
    if (kind) {
      const t = templateForVisit(templates, kind);
      if (t) setKey(t.templateKey);
    }
  }, [props.opened]); // once per opening

  const choose = (k: string) => {
    setKey(k);
    if (visitId === NEW) setVisitKind(visitKindForTemplate(k) ?? null);
  };
  const serviceAt = serviceInstant(day, time);
  const late =
    visitId === NEW &&
    !Number.isNaN(serviceAt.getTime()) &&
    isLateEntry(
      { start: serviceAt.toISOString(), durationMinutes: Number(minutes) || undefined },
      new Date().toISOString(),
    );

  const begin = async () => {
    const template = templates.find((t) => t.templateKey === key);
    if (!template) return setFailure('Choose a template.');
    let visit: NoteVisit;
    if (visitId === NEW) {
      if (!visitKind) return setFailure('Choose the kind of visit.');
      if (Number.isNaN(serviceAt.getTime()))
        return setFailure(
          'Enter the date of service and a time on the 24-hour clock, such as 14:00.',
        );
      if (serviceAt.getTime() > Date.now() + 12 * 3_600_000)
        return setFailure('The date of service is in the future. Check the day and time.');
      visit = {
        visitKind,
        start: serviceAt,
        setting,
        ...(Number(minutes) > 0 ? { durationMinutes: Number(minutes) } : {}),
      };
    } else if (visitId.startsWith('appointment:') && presetAppointment) {
      visit = { appointment: presetAppointment };
    } else visit = { encounterId: visitId };
    setBusy(true);
    try {
      const note = await startNote(store, {
        patientId: props.patientId,
        template,
        visit,
        ...(copy && source ? { copyFrom: source.id } : {}),
      });
      props.onClose();
      navigate(`/patients/${props.patientId}/notes/${note.id}`);
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={props.opened} onClose={props.onClose} title="New note" centered size="lg">
      <Stack gap="md">
        <Radio.Group label="Template" value={key} onChange={choose} required>
          <Stack gap="xs" mt="xs">
            {templates.map((t) => (
              <Radio
                key={t.templateKey}
                value={t.templateKey}
                label={t.name}
                description={
                  t.liveCharting
                    ? 'Live charting with timestamped lines'
                    : t.sections.map((s) => s.label).join(' · ')
                }
              />
            ))}
          </Stack>
        </Radio.Group>
        {source && (
          <Checkbox
            label={`Start from the last “${templates.find((t) => t.templateKey === key)?.name ?? ''}”, signed ${formatDate(source.signature?.at ?? source.updatedAt)}${source.signature ? ` by ${source.signature.byName}` : ''}`}
            description="Its sections are copied into the new draft (not its charted lines). Check and change each one for this session before you sign."
            checked={copy}
            onChange={(e) => setCopy(e.currentTarget.checked)}
          />
        )}
        <Radio.Group label="Documents" value={visitId} onChange={setVisitId}>
          <Stack gap="xs" mt="xs">
            {presetAppointment && (
              <Radio
                value={`appointment:${presetAppointment.id}`}
                label={`${VISIT_LABELS[presetAppointment.visitKind]}, booked ${formatDateTime(presetAppointment.start)} (${presetAppointment.durationMinutes} min)`}
              />
            )}
            {visits.map((v) => (
              <Radio
                key={v.id}
                value={v.id}
                label={`${VISIT_LABELS[v.visitKind]}, ${formatDateTime(v.start)} — ${SETTING_LABELS[v.setting].toLowerCase()}`}
              />
            ))}
            <Radio value={NEW} label="A new visit" />
          </Stack>
        </Radio.Group>
        {visitId === NEW && (
          <SimpleGrid cols={3}>
            <Select
              label="Visit"
              placeholder="Kind of visit"
              data={VISIT_KINDS.map((v) => ({ value: v, label: VISIT_LABELS[v] }))}
              value={visitKind}
              onChange={(v) => setVisitKind(v as VisitKind | null)}
              allowDeselect={false}
            />
            <Select
              label="Place"
              data={Object.entries(SETTING_LABELS).map(([value, label]) => ({ value, label }))}
              value={setting}
              onChange={(v) => v && setSetting(v as Setting)}
              allowDeselect={false}
            />
            <NumberInput label="Minutes" min={1} max={720} value={minutes} onChange={setMinutes} />
            <TextInput
              type="date"
              label="Date of service"
              value={day}
              onChange={(e) => setDay(e.currentTarget.value)}
            />
            <TextInput
              label="Time of service"
              description="24-hour clock, e.g. 14:00"
              placeholder="14:00"
              inputMode="numeric"
              value={time}
              onChange={(e) => setTime(e.currentTarget.value)}
            />
          </SimpleGrid>
        )}
        {late ? (
          <Alert color="yellow" title="Late entry" role="status">
            The service was on an earlier day. The note keeps both times: the date of service and
            when you write it.
          </Alert>
        ) : (
          <Text size="sm" c="dimmed">
            The note starts as a draft and saves itself as you type.
          </Text>
        )}
        {failure && (
          <Alert color="red" role="alert">
            {failure}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Cancel
          </Button>
          <Button
            onClick={() => void begin()}
            loading={busy}
            disabled={!key || (visitId === NEW && !visitKind)}
          >
            Start note
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

const TWO_WEEKS = 14 * 86_400_000;

/** The day and 24-hour time typed, on this device's clock; an invalid date when either is wrong. */
function serviceInstant(day: string, time: string): Date {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const t = /^([01]?\d|2[0-3])[:.]?([0-5]\d)$/.exec(time.trim());
  if (!d || !t) return new Date(NaN);
  return new Date(+d[1]!, +d[2]! - 1, +d[3]!, +t[1]!, +t[2]!);
}

/** Visits of the last two weeks, newest first (not those in error), and always `keep`. */
function recentVisits(records: readonly { kind: string }[], keep?: string): Encounter[] {
  const since = Date.now() - TWO_WEEKS;
  const all = records.filter(
    (r): r is Encounter => r.kind === 'encounter' && (r as Encounter).status !== 'entered-in-error',
  );
  const recent = all
    .filter((v) => Date.parse(v.start) >= since)
    .sort((a, b) => b.start.localeCompare(a.start))
    .slice(0, 6);
  const kept = all.find((v) => v.id === keep);
  return kept && !recent.includes(kept) ? [kept, ...recent] : recent;
}
