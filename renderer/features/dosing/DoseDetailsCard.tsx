import {
  Alert,
  Button,
  Card,
  Group,
  List,
  NumberInput,
  Select,
  SimpleGrid,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { DoseBody, DoseRecord, Medication, Route, User } from '../../../shared/model';
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

type Form = {
  medication: Medication;
  route: Route;
  doseMg?: number;
  weightKg?: number;
  weightMeasuredOn: string;
  concentrationMgPerMl?: number;
  given: string;
  initialRateMgPerHour?: number;
  infusionEnd: string;
  lotId: string | null;
  administeredBy: string;
};

const formOf = (d: DoseRecord): Form => ({
  medication: d.medication,
  route: d.route,
  doseMg: d.doseMg,
  weightKg: d.weightKg,
  weightMeasuredOn: d.weightMeasuredOn ?? '',
  concentrationMgPerMl: d.concentrationMgPerMl,
  given: toLocalInput(d.route === 'iv-infusion' ? d.infusionStart : d.administeredAt),
  initialRateMgPerHour: d.initialRateMgPerHour,
  infusionEnd: toLocalInput(d.infusionEnd),
  lotId: d.lotId ?? null,
  administeredBy: d.administeredBy,
});

/** Medication, dose, weight (live mg/kg), infusion times, lot from inventory, who gave it. */
export function DoseDetailsCard(props: {
  dose: DoseRecord;
  inventory?: InventoryView;
  users: User[];
  readOnly: boolean;
  now: Date;
  /** The dose's safety findings: open ones keep the start from being recorded (issue 15). */
  findings?: SafetyFinding[];
}) {
  const { dose, inventory, readOnly } = props;
  const store = useStore();
  // A signed dose reads with the thresholds it was signed under (issue 15).
  const settings = withApplied(useClinicSettings(), signedUnder(dose));
  const [form, setForm] = useState<Form>(() => formOf(dose));
  const [failure, setFailure] = useState<string>();
  const draft = useValueDraft(`dose-details:${dose.id}`, form, setForm, !readOnly);
  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });
  const iv = form.route === 'iv-infusion';
  // Esketamine is a fixed dose from 28 mg devices: no weight, mg/kg or concentration applies.
  const esketamine = form.medication === 'esketamine-nasal';
  const today = clinicDay(fromLocalInput(form.given) ?? new Date().toISOString());

  const iso = fromLocalInput(form.given);
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

  const save = async () => {
    setFailure(undefined);
    const given = fromLocalInput(form.given);
    const change: Partial<DoseBody> = {
      medication: form.medication,
      route: form.route,
      doseMg: form.doseMg,
      weightKg: form.weightKg,
      weightMeasuredOn: form.weightMeasuredOn || undefined,
      concentrationMgPerMl: form.concentrationMgPerMl,
      volumeMl:
        form.doseMg && form.concentrationMgPerMl
          ? volumeMl(form.doseMg, form.concentrationMgPerMl)
          : undefined,
      ...(iv
        ? {
            infusionStart: given,
            initialRateMgPerHour: form.initialRateMgPerHour,
            infusionEnd: fromLocalInput(form.infusionEnd),
            administeredAt: undefined,
          }
        : { administeredAt: given, infusionStart: undefined }),
      administeredBy: form.administeredBy,
      ...(form.lotId ? { lotId: form.lotId } : {}),
    };
    try {
      await updateDose(store, dose.id, change);
      await draft.clear();
      notifications.show({ color: 'teal', message: 'Dose details saved' });
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };

  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        Dose
      </Title>
      <KeptDraftNotice at={draft.restoredAt} />
      <fieldset disabled={readOnly} className={classes.signed}>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label="Medication"
            data={medicationOptions}
            value={form.medication}
            allowDeselect={false}
            onChange={(v) => set({ medication: v as Medication, lotId: null })}
          />
          <Select
            label="Route"
            data={routeOptions}
            value={form.route}
            allowDeselect={false}
            onChange={(v) => set({ route: v as Route })}
          />
          <NumberInput
            label="Dose (mg)"
            min={0}
            decimalScale={2}
            value={form.doseMg ?? ''}
            onChange={(v) => set({ doseMg: num(v) })}
          />
          {!esketamine && (
            <>
              <NumberInput
                label="Weight (kg)"
                min={0}
                decimalScale={1}
                value={form.weightKg ?? ''}
                onChange={(v) => set({ weightKg: num(v) })}
              />
              <TextInput
                label="Weight measured on"
                type="date"
                value={form.weightMeasuredOn}
                onChange={(e) => set({ weightMeasuredOn: e.currentTarget.value })}
              />
              <NumberInput
                label="Concentration (mg/ml)"
                min={0}
                decimalScale={2}
                value={form.concentrationMgPerMl ?? ''}
                onChange={(v) => set({ concentrationMgPerMl: num(v) })}
                description={volume}
              />
            </>
          )}
          <TextInput
            label={iv ? 'Infusion start' : 'Given at'}
            type="datetime-local"
            value={form.given}
            onChange={(e) => set({ given: e.currentTarget.value })}
          />
          {iv && (
            <NumberInput
              label="Starting rate (mg/h)"
              min={0}
              decimalScale={2}
              value={form.initialRateMgPerHour ?? ''}
              onChange={(v) => set({ initialRateMgPerHour: num(v) })}
            />
          )}
          {iv && (
            <TextInput
              label="Infusion end"
              type="datetime-local"
              value={form.infusionEnd}
              onChange={(e) => set({ infusionEnd: e.currentTarget.value })}
            />
          )}
          <Select
            label="Lot"
            placeholder={lots.length ? 'Choose a lot' : 'No lots in inventory'}
            data={lots}
            value={form.lotId}
            onChange={(v) => set({ lotId: v })}
          />
          <Select
            label="Administered by"
            data={props.users.map((u) => ({ value: u.id, label: u.displayName }))}
            value={form.administeredBy}
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
      {failure && (
        <Alert color="red" role="alert" mt="sm">
          {failure}
        </Alert>
      )}
      {!readOnly && (
        <Group justify="flex-end" mt="sm">
          <Button onClick={() => void save()}>Save dose details</Button>
        </Group>
      )}
    </Card>
  );
}
