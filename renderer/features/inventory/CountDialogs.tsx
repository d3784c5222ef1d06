/**
 * Counts and adjustments (21 CFR 1304.11 inventories; 1304.21 complete and accurate records): a
 * count never moves stock, it is compared with the book balance and a difference is flagged; an
 * adjustment moves stock with a reason and may correct a flagged count.
 */
import { NumberInput, Select, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { InventoryLot } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { recordAdjustment, recordCount, type CountKind } from '../../db/inventory-repository';
import { DialogForm, useFields, type DialogProps } from './DialogForm';
import { lotOptions, nowInput, whenOrNow } from './InventoryDialogs';

const KINDS: { value: CountKind; label: string }[] = [
  { value: 'count', label: 'Routine count' },
  { value: 'initial-inventory', label: 'Initial inventory' },
  { value: 'biennial-inventory', label: 'Biennial inventory' },
];

/** A physical count of a lot in the log; the screen flags a count that differs from the book. */
export function CountDialog(props: DialogProps & { lots: InventoryLot[] }) {
  const store = useStore();
  const { f, text, number, select } = useFields({
    lotId: null as string | null,
    kind: 'count' as string | null,
    counted: undefined as number | undefined,
    note: '',
    at: nowInput(),
  });
  const save = async () => {
    await recordCount(store, {
      lotId: f.lotId ?? '',
      counted: f.counted ?? Number.NaN,
      note: f.note || undefined,
      kind: (f.kind ?? 'count') as CountKind,
      occurredAt: whenOrNow(f.at),
    });
    notifications.show({ color: 'teal', message: 'Count recorded' });
    props.onClose();
  };
  return (
    <DialogForm
      opened={props.opened}
      onClose={props.onClose}
      title="Record a count"
      submitLabel="Record count"
      onSubmit={save}
    >
      <Select
        label="Lot"
        data={lotOptions(props.lots)}
        allowDeselect={false}
        {...select('lotId')}
      />
      <Select label="Kind of count" data={KINDS} allowDeselect={false} {...select('kind')} />
      <NumberInput label="Quantity on hand" {...number('counted')} />
      <TextInput label="Note" {...text('note')} />
      <TextInput label="Counted at" type="datetime-local" {...text('at')} />
    </DialogForm>
  );
}

export type AdjustmentPrefill = { lotId: string; quantity: number; corrects: string };

/** Adjust a lot's balance with a reason; from a flagged count it corrects that count. */
export function AdjustmentDialog(
  props: DialogProps & { lots: InventoryLot[]; prefill?: AdjustmentPrefill },
) {
  const store = useStore();
  const { f, text, number, select } = useFields({
    lotId: (props.prefill?.lotId ?? null) as string | null,
    quantity: props.prefill?.quantity,
    note: '',
    at: nowInput(),
  });
  const save = async () => {
    await recordAdjustment(store, {
      lotId: f.lotId ?? '',
      quantity: f.quantity ?? 0,
      note: f.note,
      occurredAt: whenOrNow(f.at),
      corrects: props.prefill?.lotId === f.lotId ? props.prefill?.corrects : undefined,
    });
    notifications.show({ color: 'teal', message: 'Adjustment recorded' });
    props.onClose();
  };
  return (
    <DialogForm
      opened={props.opened}
      onClose={props.onClose}
      title={props.prefill ? 'Resolve a count discrepancy' : 'Adjust a balance'}
      submitLabel="Record adjustment"
      onSubmit={save}
    >
      <Select
        label="Lot"
        data={lotOptions(props.lots)}
        allowDeselect={false}
        {...select('lotId')}
      />
      <NumberInput
        label="Change to the balance"
        description="Negative removes stock (e.g. −2), positive adds it; in the lot's unit"
        {...number('quantity')}
      />
      <TextInput
        label="Reason"
        placeholder="e.g. vial broken during unpacking, not logged at the time"
        {...text('note')}
      />
      <TextInput label="Adjusted at" type="datetime-local" {...text('at')} />
    </DialogForm>
  );
}
