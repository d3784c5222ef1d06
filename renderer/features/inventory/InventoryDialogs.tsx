import { Alert, Checkbox, NumberInput, Select, SimpleGrid, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { InventoryLot, InventoryLotBody, Medication, User } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { ConfirmPassphraseDialog } from '../../app/ConfirmPassphraseDialog';
import { clinicDay } from '../../../shared/rules/dosing';
import { formatCalendarDate } from '../../app/format';
import { useClinicSettings } from '../../app/use-records';
import { receiveLot, recordInitialStock, recordWaste } from '../../db/inventory-repository';
import { fromLocalInput, medicationOptions, toLocalInput } from '../dosing/dose-form';
import { DialogForm, useFields, type DialogProps } from './DialogForm';

export const nowInput = () => toLocalInput(new Date().toISOString());
export const whenOrNow = (local: string) => fromLocalInput(local) ?? new Date().toISOString();
export const lotOptions = (lots: InventoryLot[]) =>
  lots.map((l) => ({ value: l.id, label: `${l.lotNumber} · ${l.productName}` }));

const UNITS = [
  { value: 'mg', label: 'mg' },
  { value: 'ml', label: 'ml' },
  { value: 'device', label: 'devices' },
];

const newLot = () => ({
  medication: 'ketamine-hcl' as Medication,
  productName: '',
  lotNumber: '',
  expiry: '',
  unit: 'mg' as string,
  concentration: undefined as number | undefined,
  perContainer: undefined as number | undefined,
});
type LotFields = ReturnType<typeof useFields<ReturnType<typeof newLot>>>;

const lotBody = (f: ReturnType<typeof newLot>): InventoryLotBody => ({
  medication: f.medication,
  productName: f.productName,
  lotNumber: f.lotNumber,
  expiry: f.expiry,
  unit: f.unit as InventoryLot['unit'],
  concentrationMgPerMl: f.concentration,
  unitsPerContainer: f.perContainer,
});

/** What one container holds in the other measure, when the strength says it: "= 10 ml". */
function perContainerHint(f: ReturnType<typeof newLot>): string {
  const each = f.perContainer;
  if (!each || !f.concentration)
    return `What one vial, bottle or device holds, in ${f.unit === 'device' ? 'devices' : f.unit}`;
  if (f.unit === 'mg')
    return `= ${+(each / f.concentration).toFixed(3)} ml at ${f.concentration} mg/ml`;
  if (f.unit === 'ml')
    return `= ${+(each * f.concentration).toFixed(3)} mg at ${f.concentration} mg/ml`;
  return 'What one pack holds, in devices';
}

/** What identifies a lot: medication, product, number, expiry, unit and strength. */
function LotInputs({ lot }: { lot: LotFields }) {
  return (
    <>
      <Select
        label="Medication"
        data={medicationOptions}
        allowDeselect={false}
        {...lot.select('medication')}
      />
      <TextInput
        label="Product"
        placeholder="Ketamine HCl 50 mg/ml, 10 ml vial"
        {...lot.text('productName')}
      />
      <TextInput label="Lot number" {...lot.text('lotNumber')} />
      <TextInput label="Expiry" type="date" {...lot.text('expiry')} />
      <Select label="Counted in" data={UNITS} allowDeselect={false} {...lot.select('unit')} />
      <NumberInput label="Concentration (mg/ml)" {...lot.number('concentration')} />
      {/* 21 CFR 1304.22(a)(2)(iii): units or volume in each container, as a number. */}
      <NumberInput
        label={`Per container (${lot.f.unit === 'device' ? 'devices' : lot.f.unit})`}
        description={perContainerHint(lot.f)}
        {...lot.number('perContainer')}
      />
    </>
  );
}

/** Receive a new lot from a supplier (21 CFR 1304.22(c) receipt fields). */
export function ReceiveLotDialog({ opened, onClose }: DialogProps) {
  const store = useStore();
  const lot = useFields(newLot());
  const { f, text, number } = useFields({
    quantity: undefined as number | undefined,
    containers: undefined as number | undefined,
    supplierName: '',
    supplierAddress: '',
    supplierDea: '',
    invoice: '',
    at: nowInput(),
  });
  const { timeZone } = useClinicSettings();
  const [receivedExpired, setReceivedExpired] = useState(false);
  // Said before saving, not after: a lot already past its expiry on the day it arrives.
  const expired = Boolean(lot.f.expiry) && lot.f.expiry < clinicDay(whenOrNow(f.at), timeZone);
  const save = async () => {
    await receiveLot(store, lotBody(lot.f), {
      receivedExpired: expired && receivedExpired,
      quantity: f.quantity ?? 0,
      containers: f.containers,
      supplierName: f.supplierName,
      supplierAddress: f.supplierAddress,
      supplierDea: f.supplierDea.trim().toUpperCase() || undefined,
      invoice: f.invoice || undefined,
      occurredAt: whenOrNow(f.at),
    });
    notifications.show({ color: 'teal', message: `Lot ${lot.f.lotNumber} received` });
    onClose();
  };
  return (
    <DialogForm
      opened={opened}
      onClose={onClose}
      title="Receive stock"
      size="lg"
      submitLabel="Record receipt"
      onSubmit={save}
    >
      <SimpleGrid cols={2}>
        <LotInputs lot={lot} />
        <NumberInput
          label="Quantity received"
          description={
            f.containers && lot.f.perContainer
              ? `${f.containers} × ${lot.f.perContainer} = ${+(f.containers * lot.f.perContainer).toFixed(3)} ${lot.f.unit === 'device' ? 'devices' : lot.f.unit}`
              : 'In the unit above'
          }
          {...number('quantity')}
        />
        <NumberInput label="Containers" {...number('containers')} />
        <TextInput label="Supplier name" {...text('supplierName')} />
        <TextInput label="Supplier address" {...text('supplierAddress')} />
        <TextInput label="Supplier DEA number" {...text('supplierDea')} />
        <TextInput label="Invoice" {...text('invoice')} />
        <TextInput label="Received at" type="datetime-local" {...text('at')} />
      </SimpleGrid>
      {expired && (
        <Alert color="orange" title="This lot has already expired" mt="md">
          Lot {lot.f.lotNumber || '(no number yet)'} expired on {formatCalendarDate(lot.f.expiry)}:
          it cannot be used for doses. Send it back to the supplier; record it here only if the
          stock is in the clinic, for return or disposal.
          <Checkbox
            mt="sm"
            label="Received already expired: record it for return or disposal"
            checked={receivedExpired}
            onChange={(e) => setReceivedExpired(e.currentTarget.checked)}
          />
        </Alert>
      )}
    </DialogForm>
  );
}

/** Stock on hand before the log began: the lot and its initial inventory (21 CFR 1304.11(b)). */
export function InitialStockDialog({ opened, onClose }: DialogProps) {
  const store = useStore();
  const lot = useFields(newLot());
  const { f, text, number } = useFields({
    counted: undefined as number | undefined,
    note: '',
    at: nowInput(),
  });
  const save = async () => {
    await recordInitialStock(store, lotBody(lot.f), {
      counted: f.counted ?? -1,
      note: f.note,
      occurredAt: whenOrNow(f.at),
    });
    notifications.show({ color: 'teal', message: `Initial inventory of lot ${lot.f.lotNumber}` });
    onClose();
  };
  return (
    <DialogForm
      opened={opened}
      onClose={onClose}
      title="Initial inventory of stock on hand"
      size="lg"
      submitLabel="Record initial inventory"
      onSubmit={save}
    >
      <SimpleGrid cols={2}>
        <LotInputs lot={lot} />
        <NumberInput
          label="Quantity on hand"
          description="Exact count, in the unit above"
          {...number('counted')}
        />
        <TextInput label="Taken at" type="datetime-local" {...text('at')} />
      </SimpleGrid>
      <TextInput label="Note" {...text('note')} />
    </DialogForm>
  );
}

/** Waste, confirmed by a witness with their own passphrase. */
export function WasteDialog(props: DialogProps & { lots: InventoryLot[]; users: User[] }) {
  const store = useStore();
  const { f, text, number, select } = useFields({
    lotId: null as string | null,
    amount: undefined as number | undefined,
    method: '',
    witnessId: null as string | null,
    at: nowInput(),
  });
  const [confirming, setConfirming] = useState(false);
  const witnesses = props.users.filter((u) => u.active && u.id !== store.session.user.id);
  const witness = witnesses.find((u) => u.id === f.witnessId);
  const save = () =>
    recordWaste(store, {
      lotId: f.lotId ?? '',
      amount: f.amount ?? 0,
      method: f.method,
      witnessId: f.witnessId ?? '',
      occurredAt: whenOrNow(f.at),
    });
  const confirmation = (
    <ConfirmPassphraseDialog
      opened={confirming}
      userId={witness?.id}
      title={`Witness: ${witness?.displayName ?? ''}`}
      explanation={`${witness?.displayName ?? 'The witness'} confirms with their own passphrase that they saw this waste.`}
      confirmLabel="Confirm as witness"
      onClose={() => setConfirming(false)}
      onConfirmed={async () => {
        await save();
        notifications.show({ color: 'teal', message: 'Waste recorded' });
        props.onClose();
      }}
    />
  );
  return (
    <DialogForm
      opened={props.opened}
      onClose={props.onClose}
      title="Record waste"
      submitLabel="Record waste"
      // Without a witness the repository refuses, in its own words.
      onSubmit={async () => (witness ? setConfirming(true) : void (await save()))}
      after={confirmation}
    >
      <Select
        label="Lot"
        data={lotOptions(props.lots)}
        allowDeselect={false}
        {...select('lotId')}
      />
      <NumberInput label="Amount wasted" description="In the lot's unit" {...number('amount')} />
      <TextInput
        label="Method"
        placeholder="e.g. drawn up and discarded into a drug disposal container"
        {...text('method')}
      />
      <Select
        label="Witness"
        placeholder="Choose a colleague"
        data={witnesses.map((u) => ({ value: u.id, label: u.displayName }))}
        clearable
        {...select('witnessId')}
      />
      <TextInput label="Wasted at" type="datetime-local" {...text('at')} />
    </DialogForm>
  );
}
