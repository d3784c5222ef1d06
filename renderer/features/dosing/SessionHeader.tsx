import {
  Badge,
  Button,
  Group,
  Kbd,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useRef, useState } from 'react';
import type { DoseRecord, Patient, VitalSigns } from '../../../shared/model';
import { patientDisplayName } from '../../../shared/model';
import {
  doseGivenAt,
  nextVitalsDue,
  unresolvedFindings,
  type SafetyFinding,
} from '../../../shared/rules/dosing';
import { useStore } from '../../app/app-state';
import { errorMessage, formatCalendarDate, formatTime } from '../../app/format';
import { useClinicSettings } from '../../app/use-records';
import { signedUnder, withApplied } from '../../db/clinic-settings-repository';
import type { RecordSaveState } from '../../app/use-record-autosave';
import { addVitals } from '../../db/dose-repository';
import {
  MEDICATION_LABELS,
  ROUTE_LABELS,
  fromLocalInput,
  mgPerKgLine,
  num,
  toLocalInput,
} from './dose-form';
import { DoseSaveBadge } from './DoseSaveBadge';
import { KeptDraftNotice } from './KeptDraftNotice';
import { dueWords, elapsedWords } from './session-clock';
import { useValueDraft } from './use-value-draft';

export const VITALS_LABELS: Record<VitalSigns['label'], string> = {
  baseline: 'Baseline',
  interval: 'Interval',
  'post-dose-40': '~40 min after dose',
  'pre-discharge': 'Before discharge',
};

/** The id of the safety checks card, for the header's "open findings" button to scroll to. */
export const SAFETY_CARD_ID = 'dose-safety-checks';

/**
 * The dose screen's sticky session header (issue 15, deliverable 5): who is in the chair, what
 * they are getting, how long since the start, when the next reading is due, how many findings are
 * open, and a one-line vitals entry a nurse fills from the keyboard without scrolling.
 */
export function SessionHeader(props: {
  dose: DoseRecord;
  patient: Patient | null | undefined;
  now: Date;
  findings: SafetyFinding[] | undefined;
  readOnly: boolean;
  /** Where the record's autosave stands: in the header, so it is in view wherever one types. */
  saveState?: RecordSaveState;
}) {
  const { dose, patient, now, findings, readOnly } = props;
  // A signed dose is shown against the thresholds it was signed under.
  const settings = withApplied(useClinicSettings(), signedUnder(dose));
  const startedAt = doseGivenAt(dose);
  const due = readOnly ? undefined : nextVitalsDue(dose, now, settings.vitalsIntervalMinutes);
  const open = findings ? unresolvedFindings(findings, dose.overrides).length : undefined;
  const mgkg = mgPerKgLine(dose, now, settings);
  const late = due && Date.parse(due.dueAt) + 60_000 <= now.getTime();

  return (
    <Paper
      withBorder
      shadow="sm"
      p="sm"
      component="section"
      aria-label="Dosing session"
      style={{
        position: 'sticky',
        top: 'var(--app-shell-header-height, 56px)',
        zIndex: 50,
        background: 'var(--mantine-color-body)',
      }}
    >
      <Stack gap={6}>
        <Group gap="sm" wrap="wrap">
          <Text fw={700} size="lg">
            {patient ? patientDisplayName(patient) : ''}
          </Text>
          {patient && <Text size="sm">Born {formatCalendarDate(patient.dateOfBirth)}</Text>}
          <Text size="sm">
            {MEDICATION_LABELS[dose.medication]} · {ROUTE_LABELS[dose.route]} · {dose.doseMg} mg
          </Text>
          {mgkg && (
            <Text size="sm" fw={600} c={mgkg.ok ? 'teal.9' : 'red.9'}>
              {mgkg.text}
            </Text>
          )}
          {props.saveState && !readOnly && <DoseSaveBadge state={props.saveState} ml="auto" />}
        </Group>
        <Group gap="md" wrap="wrap">
          <Text size="sm" fw={500}>
            {!startedAt
              ? 'Dosing not started'
              : Date.parse(startedAt) > now.getTime()
                ? elapsedWords(startedAt, now)
                : `${elapsedWords(startedAt, now)} (${formatTime(startedAt)})`}
          </Text>
          {dose.discharge && <Text size="sm">Discharged {formatTime(dose.discharge.at)}</Text>}
          {due && (
            <Badge
              role="status"
              size="lg"
              radius="sm"
              variant={late ? 'filled' : 'light'}
              color={late ? 'red' : 'blue'}
              style={{ textTransform: 'none' }}
            >
              Vitals due: {due.text} — {dueWords(due, now)} ({formatTime(due.dueAt)})
            </Badge>
          )}
          {open !== undefined && (
            <Button
              size="compact-sm"
              variant="light"
              color={open ? 'orange' : 'teal'}
              onClick={() =>
                document
                  .getElementById(SAFETY_CARD_ID)
                  ?.scrollIntoView({ behavior: 'smooth', block: 'start' })
              }
            >
              {open === 0 ? 'Safety checks pass' : `${open} open finding${open === 1 ? '' : 's'}`}
            </Button>
          )}
        </Group>
        {!readOnly && <QuickVitals dose={dose} now={now} defaultLabel={due?.label} />}
      </Stack>
    </Paper>
  );
}

type Reading = {
  sys?: number;
  dia?: number;
  hr?: number;
  spo2?: number;
  rr?: number;
  at: string;
  label?: string;
};

/**
 * One line of vitals: tab through, Enter adds it (taken now unless another time is typed), and
 * the cursor goes back to Systolic for the next reading. Alt+V jumps here from anywhere on the
 * screen. What is typed and not yet added survives reload, crash and auto-lock.
 */
function QuickVitals(props: {
  dose: DoseRecord;
  now: Date;
  defaultLabel: VitalSigns['label'] | undefined;
}) {
  const { dose, now } = props;
  const store = useStore();
  const [r, setR] = useState<Reading>({ at: '' });
  const draft = useValueDraft(`dose-vitals:${dose.id}`, r, setR, true);
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const label = (r.label ?? props.defaultLabel ?? 'interval') as VitalSigns['label'];
  useHotkeys([['alt+V', () => first.current?.focus()]], []);

  const add = async () => {
    if (busy) return;
    setFailure(undefined);
    setBusy(true);
    try {
      await addVitals(store, dose.id, {
        at: fromLocalInput(r.at) ?? new Date().toISOString(),
        systolic: r.sys,
        diastolic: r.dia,
        heartRate: r.hr,
        spo2: r.spo2,
        respiratoryRate: r.rr,
        label,
      });
      const empty = { at: '' };
      setR(empty);
      await draft.clear(empty);
      first.current?.focus();
    } catch (e) {
      setFailure(errorMessage(e).replace(/\n/g, ' '));
    } finally {
      setBusy(false);
    }
  };

  const field = { size: 'xs' as const, w: 84, hideControls: true };
  return (
    <form
      aria-label="Add a vitals reading"
      onSubmit={(e) => {
        e.preventDefault();
        void add();
      }}
    >
      <KeptDraftNotice at={draft.restoredAt} />
      <Group gap="xs" align="flex-end" wrap="wrap">
        <NumberInput
          {...field}
          ref={first}
          label="Systolic"
          value={r.sys ?? ''}
          onChange={(v) => setR({ ...r, sys: num(v) })}
        />
        <NumberInput
          {...field}
          label="Diastolic"
          value={r.dia ?? ''}
          onChange={(v) => setR({ ...r, dia: num(v) })}
        />
        <NumberInput
          {...field}
          label="Heart rate"
          value={r.hr ?? ''}
          onChange={(v) => setR({ ...r, hr: num(v) })}
        />
        <NumberInput
          {...field}
          label="SpO2 (%)"
          value={r.spo2 ?? ''}
          onChange={(v) => setR({ ...r, spo2: num(v) })}
        />
        <NumberInput
          {...field}
          label="Resp. rate"
          value={r.rr ?? ''}
          onChange={(v) => setR({ ...r, rr: num(v) })}
        />
        <Select
          size="xs"
          w={160}
          label="Reading"
          data={Object.entries(VITALS_LABELS).map(([value, l]) => ({ value, label: l }))}
          value={label}
          allowDeselect={false}
          onChange={(v) => setR({ ...r, label: v ?? undefined })}
        />
        <TextInput
          size="xs"
          w={190}
          label="Taken at"
          type="datetime-local"
          value={r.at || toLocalInput(now.toISOString())}
          onChange={(e) => setR({ ...r, at: e.currentTarget.value })}
        />
        <Button type="submit" size="xs" loading={busy}>
          Add vitals
        </Button>
        <Text size="xs" c="dimmed" pb={4}>
          <Kbd size="xs">Enter</Kbd> adds · <Kbd size="xs">Alt</Kbd>+<Kbd size="xs">V</Kbd> comes
          back here
        </Text>
      </Group>
      {failure && (
        <Text c="red.9" size="sm" role="alert" mt={4}>
          {failure}
        </Text>
      )}
    </form>
  );
}
