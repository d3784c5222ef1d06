import {
  Alert,
  Button,
  Card,
  List,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { DoseRecord, Medication, Route, User } from '../../../shared/model';
import {
  clinicDay,
  unresolvedFindings,
  volumeMl,
  type SafetyFinding,
} from '../../../shared/rules/dosing';
import { useStore } from '../../app/app-state';
import { errorMessage, formatCalendarDate } from '../../app/format';
import { useClinicSettings } from '../../app/use-records';
import { signedUnder, withApplied } from '../../db/clinic-settings-repository';
import { updateDose } from '../../db/dose-repository';
import type { InventoryView } from '../../db/inventory-repository';
import {
  fromLocalInput,
  medicationOptions,
  mgPerKgLine,
  num,
  routeOptions,
  toLocalInput,
} from './dose-form';
import classes from './signed-record.module.css';
import { KeptDraftNotice } from './KeptDraftNotice';
import { lotAtSigningLine } from './lot-balance';
import { useValueDraft } from './use-value-draft';
import type { DoseAutosave } from './use-dose-autosave';

/**
 * Medication, dose, weight (live mg/kg), infusion times, lot from inventory, who gave it. Every
 * field autosaves (use-dose-autosave.ts); recording the start of administration is a button of its
 * own, refused in words while a finding before dosing stands (updateDose, issue 15 point 4).
 */
export function DoseDetailsCard(props: {
  dose: DoseRecord;
  autosave: DoseAutosave;
  inventory?: InventoryView;
  users: User[];
  readOnly: boolean;
  now: Date;
  /** The dose's safety findings: open ones keep the start from being recorded (issue 15). */
  findings?: SafetyFinding[];
}) {
  const { dose, inventory, readOnly } = props;
  // A signed dose reads with the thresholds it was signed under (issue 15).
  const settings = withApplied(useClinicSettings(), signedUnder(dose));
  const { form, set, refused } = props.autosave;
  const start = useStartInput(dose, readOnly);
  const iv = form.route === 'iv-infusion';
  // Esketamine is a fixed dose from 28 mg devices: no weight, mg/kg or concentration applies.
  const esketamine = form.medication === 'esketamine-nasal';
  const today = clinicDay(fromLocalInput(start.value) ?? new Date().toISOString());

  const iso = fromLocalInput(start.value);
  const mgkg = mgPerKgLine(
    {
      medication: form.medication,
      route: form.route,
      doseMg: form.doseMg ?? 0,
      weightKg: form.weightKg,
      weightMeasuredOn: form.weightMeasuredOn || undefined,
      administeredAt: iv ? undefined : iso,
      infusionStart: iv ? iso : undefined,
      initialRateMgPerHour: form.initialRateMgPerHour,
      infusionEnd: iv ? fromLocalInput(form.infusionEnd) : undefined,
      rateChanges: dose.rateChanges,
      boluses: dose.boluses,
    },
    props.now,
    settings,
  );
  const started = Boolean(dose.infusionStart ?? dose.administeredAt);
  const startBlocked = started ? [] : unresolvedFindings(props.findings ?? [], dose.overrides);
  const volume =
    form.doseMg && form.concentrationMgPerMl
      ? `${volumeMl(form.doseMg, form.concentrationMgPerMl)} ml to draw up`
      : undefined;

  const lotLine = lotAtSigningLine(dose);
  const lots = (inventory?.lots ?? [])
    .filter((l) => l.medication === form.medication)
    .map((l) => {
      const expired = l.expiry < today;
      // A signed dose shows the balance it was signed at (below), not the lot's balance today.
      const balance =
        dose.status === 'signed' ? '' : ` · ${inventory?.balances[l.id] ?? 0} ${l.unit} on hand`;
      return {
        value: l.id,
        label: `${l.lotNumber} · exp ${formatCalendarDate(l.expiry)}${balance}${expired ? ' · EXPIRED' : ''}`,
        disabled: expired,
      };
    });

  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        Dose
      </Title>
      <KeptDraftNotice at={start.restoredAt} />
      <fieldset disabled={readOnly} className={classes.signed}>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label="Medication"
            data={medicationOptions}
            value={form.medication}
            allowDeselect={false}
            error={refused.medication}
            onChange={(v) => set({ medication: v as Medication, lotId: null })}
          />
          <Select
            label="Route"
            data={routeOptions}
            value={form.route}
            allowDeselect={false}
            error={refused.route}
            onChange={(v) => set({ route: v as Route })}
          />
          <NumberInput
            label="Dose (mg)"
            min={0}
            decimalScale={2}
            value={form.doseMg ?? ''}
            error={refused.doseMg}
            onChange={(v) => set({ doseMg: num(v) })}
          />
          {!esketamine && (
            <>
              <NumberInput
                label="Weight (kg)"
                min={0}
                decimalScale={1}
                value={form.weightKg ?? ''}
                error={refused.weightKg}
                onChange={(v) => set({ weightKg: num(v) })}
              />
              <TextInput
                label="Weight measured on"
                type="date"
                value={form.weightMeasuredOn}
                error={refused.weightMeasuredOn}
                onChange={(e) => set({ weightMeasuredOn: e.currentTarget.value })}
              />
              <NumberInput
                label="Concentration (mg/ml)"
                min={0}
                decimalScale={2}
                value={form.concentrationMgPerMl ?? ''}
                error={refused.concentrationMgPerMl}
                onChange={(v) => set({ concentrationMgPerMl: num(v) })}
                description={volume}
              />
            </>
          )}
          <StartField iv={iv} start={start} flush={props.autosave.flush} readOnly={readOnly} />
          {iv && (
            <NumberInput
              label="Starting rate (mg/h)"
              min={0}
              decimalScale={2}
              value={form.initialRateMgPerHour ?? ''}
              error={refused.initialRateMgPerHour}
              onChange={(v) => set({ initialRateMgPerHour: num(v) })}
            />
          )}
          {iv && (
            <TextInput
              label="Infusion end"
              type="datetime-local"
              value={form.infusionEnd}
              error={refused.infusionEnd}
              onChange={(e) => set({ infusionEnd: e.currentTarget.value })}
            />
          )}
          <Select
            label="Lot"
            placeholder={lots.length ? 'Choose a lot' : 'No lots in inventory'}
            data={lots}
            value={form.lotId}
            error={refused.lotId}
            onChange={(v) => set({ lotId: v })}
          />
          <Select
            label="Administered by"
            data={props.users.map((u) => ({ value: u.id, label: u.displayName }))}
            value={form.administeredBy}
            error={refused.administeredBy}
            allowDeselect={false}
            onChange={(v) => v && set({ administeredBy: v })}
          />
        </SimpleGrid>
      </fieldset>
      {startBlocked.length > 0 && !readOnly && (
        <Alert
          color="orange"
          mt="sm"
          title="Dosing cannot start yet"
          aria-label="Dosing cannot start yet"
        >
          <Text size="sm">
            The {iv ? 'infusion start' : 'time given'} is refused until these are resolved in the
            safety checks:
          </Text>
          <List size="sm">
            {startBlocked.map((f) => (
              <List.Item key={f.rule}>{f.message}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {mgkg && (
        <Text
          mt="sm"
          fw={600}
          c={mgkg.ok ? 'teal.9' : 'red.9'}
          role="status"
          aria-label="mg per kg"
        >
          {mgkg.text}
        </Text>
      )}
      {dose.totalGivenMg !== undefined && (
        <Text size="sm" mt={4}>
          Total given: {dose.totalGivenMg} mg
        </Text>
      )}
      {lotLine && (
        <Text size="sm" mt={4} aria-label="Lot balance at signing">
          {lotLine}
        </Text>
      )}
      {start.refusal && (
        <Alert color="red" role="alert" mt="sm">
          {start.refusal}
        </Alert>
      )}
    </Card>
  );
}

/** The start of administration as typed, kept (encrypted) until recorded, and its recording. */
function useStartInput(dose: DoseRecord, readOnly: boolean) {
  const store = useStore();
  const recorded = toLocalInput(dose.infusionStart ?? dose.administeredAt);
  const [value, setValue] = useState(recorded);
  const [refusal, setRefusal] = useState<string>();
  const [busy, setBusy] = useState(false);
  const draft = useValueDraft(`dose-start:${dose.id}`, value, setValue, !readOnly);
  // Recorded elsewhere (another window, sync) while nothing is typed here: show it.
  const shown = useRef(recorded);
  useEffect(() => {
    if (value === shown.current) setValue(recorded);
    shown.current = recorded;
  }, [recorded]); // only when the record's start changes
  const record = async (iv: boolean, beforeRecording: () => Promise<void>) => {
    if (busy) return;
    setRefusal(undefined);
    setBusy(true);
    try {
      // What was typed in the other fields (the rate, the lot) is in the record first.
      await beforeRecording();
      const at = fromLocalInput(value);
      await updateDose(
        store,
        dose.id,
        iv
          ? { infusionStart: at, administeredAt: undefined }
          : { administeredAt: at, infusionStart: undefined },
      );
      await draft.clear();
    } catch (e) {
      setRefusal(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return { value, setValue, refusal, busy, record, recorded, restoredAt: draft.restoredAt };
}

function StartField(props: {
  iv: boolean;
  start: ReturnType<typeof useStartInput>;
  flush: () => Promise<void>;
  readOnly: boolean;
}) {
  const { iv, start } = props;
  const label = iv ? 'Infusion start' : 'Given at';
  const pending = start.value !== start.recorded;
  return (
    <Stack gap={4}>
      <TextInput
        label={label}
        type="datetime-local"
        value={start.value}
        description={pending ? 'Not recorded yet' : undefined}
        onChange={(e) => start.setValue(e.currentTarget.value)}
      />
      {/* Once recorded, the button comes back only when another time is typed (a correction). */}
      {!props.readOnly && (pending || !start.recorded) && (
        <Button
          size="xs"
          loading={start.busy}
          disabled={!pending}
          onClick={() => void start.record(iv, props.flush)}
        >
          {iv ? 'Record infusion start' : 'Record time given'}
        </Button>
      )}
    </Stack>
  );
}
