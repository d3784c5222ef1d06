import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { InventoryLot, Medication, User } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { ConfirmPassphraseDialog } from '../../app/ConfirmPassphraseDialog';
import { errorMessage } from '../../app/format';
import { receiveLot, recordCount, recordWaste } from '../../db/inventory-repository';
import { fromLocalInput, medicationOptions, num, toLocalInput } from '../dosing/dose-form';

type DialogProps = { opened: boolean; onClose: () => void };
const nowInput = () => toLocalInput(new Date().toISOString());
const lotOptions = (lots: InventoryLot[]) =>
  lots.map((l) => ({ value: l.id, label: `${l.lotNumber} · ${l.productName}` }));

function Failure({ text }: { text?: string }) {
  return text ? (
    <Alert color="red" role="alert">
      {text}
    </Alert>
  ) : null;
}

/** Receive a new lot from a supplier (21 CFR 1304.22(c) receipt fields). */
export function ReceiveLotDialog({ opened, onClose }: DialogProps) {
  const store = useStore();
  const [f, setF] = useState({
    medication: 'ketamine-hcl' as Medication,
    productName: '',
    lotNumber: '',
    expiry: '',
    unit: 'mg',
    concentration: undefined as number | undefined,
    quantity: undefined as number | undefined,
    containers: undefined as number | undefined,
    supplierName: '',
    supplierAddress: '',
    supplierDea: '',
    invoice: '',
    at: nowInput(),
  });
  const [failure, setFailure] = useState<string>();
  const set = (p: Partial<typeof f>) => setF({ ...f, ...p });
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    try {
      await receiveLot(
        store,
        {
          medication: f.medication,
          productName: f.productName,
          lotNumber: f.lotNumber,
          expiry: f.expiry,
          unit: f.unit as InventoryLot['unit'],
          concentrationMgPerMl: f.concentration,
        },
        {
          quantity: f.quantity ?? 0,
          containers: f.containers,
          supplierName: f.supplierName,
          supplierAddress: f.supplierAddress,
          supplierDea: f.supplierDea.trim().toUpperCase() || undefined,
          invoice: f.invoice || undefined,
          occurredAt: fromLocalInput(f.at) ?? new Date().toISOString(),
        },
      );
      notifications.show({ color: 'teal', message: `Lot ${f.lotNumber} received` });
      onClose();
    } catch (err) {
      setFailure(errorMessage(err));
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Receive stock" size="lg" centered>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <SimpleGrid cols={2}>
            <Select
              label="Medication"
              data={medicationOptions}
              value={f.medication}
              allowDeselect={false}
              onChange={(v) => set({ medication: v as Medication })}
            />
            <TextInput
              label="Product"
              placeholder="Ketamine HCl 50 mg/ml, 10 ml vial"
              value={f.productName}
              onChange={(e) => set({ productName: e.currentTarget.value })}
            />
            <TextInput
              label="Lot number"
              value={f.lotNumber}
              onChange={(e) => set({ lotNumber: e.currentTarget.value })}
            />
            <TextInput
              label="Expiry"
              type="date"
              value={f.expiry}
              onChange={(e) => set({ expiry: e.currentTarget.value })}
            />
            <Select
              label="Counted in"
              data={[
                { value: 'mg', label: 'mg' },
                { value: 'ml', label: 'ml' },
                { value: 'device', label: 'devices' },
              ]}
              value={f.unit}
              allowDeselect={false}
              onChange={(v) => set({ unit: v ?? 'mg' })}
            />
            <NumberInput
              label="Concentration (mg/ml)"
              value={f.concentration ?? ''}
              onChange={(v) => set({ concentration: num(v) })}
            />
            <NumberInput
              label="Quantity received"
              description="In the unit above"
              value={f.quantity ?? ''}
              onChange={(v) => set({ quantity: num(v) })}
            />
            <NumberInput
              label="Containers"
              value={f.containers ?? ''}
              onChange={(v) => set({ containers: num(v) })}
            />
            <TextInput
              label="Supplier name"
              value={f.supplierName}
              onChange={(e) => set({ supplierName: e.currentTarget.value })}
            />
            <TextInput
              label="Supplier address"
              value={f.supplierAddress}
              onChange={(e) => set({ supplierAddress: e.currentTarget.value })}
            />
            <TextInput
              label="Supplier DEA number"
              value={f.supplierDea}
              onChange={(e) => set({ supplierDea: e.currentTarget.value })}
            />
            <TextInput
              label="Invoice"
              value={f.invoice}
              onChange={(e) => set({ invoice: e.currentTarget.value })}
            />
            <TextInput
              label="Received at"
              type="datetime-local"
              value={f.at}
              onChange={(e) => set({ at: e.currentTarget.value })}
            />
          </SimpleGrid>
          <Failure text={failure} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit">Record receipt</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Waste, confirmed by a witness with their own passphrase. */
export function WasteDialog(props: DialogProps & { lots: InventoryLot[]; users: User[] }) {
  const store = useStore();
  const [f, setF] = useState({
    lotId: null as string | null,
    amount: undefined as number | undefined,
    method: '',
    witnessId: null as string | null,
    at: nowInput(),
  });
  const [failure, setFailure] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const set = (p: Partial<typeof f>) => setF({ ...f, ...p });
  const witnesses = props.users.filter((u) => u.active && u.id !== store.session.user.id);
  const witness = witnesses.find((u) => u.id === f.witnessId);
  const save = () =>
    recordWaste(store, {
      lotId: f.lotId ?? '',
      amount: f.amount ?? 0,
      method: f.method,
      witnessId: f.witnessId ?? '',
      occurredAt: fromLocalInput(f.at) ?? new Date().toISOString(),
    });
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    if (witness) return setConfirming(true);
    try {
      await save(); // the repository refuses waste without a witness, in its own words
    } catch (err) {
      setFailure(errorMessage(err));
    }
  };
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Record waste" centered>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Select
            label="Lot"
            data={lotOptions(props.lots)}
            allowDeselect={false}
            value={f.lotId}
            onChange={(v) => set({ lotId: v })}
          />
          <NumberInput
            label="Amount wasted"
            description="In the lot's unit"
            value={f.amount ?? ''}
            onChange={(v) => set({ amount: num(v) })}
          />
          <TextInput
            label="Method"
            placeholder="e.g. drawn up and discarded into a drug disposal container"
            value={f.method}
            onChange={(e) => set({ method: e.currentTarget.value })}
          />
          <Select
            label="Witness"
            placeholder="Choose a colleague"
            data={witnesses.map((u) => ({ value: u.id, label: u.displayName }))}
            value={f.witnessId}
            onChange={(v) => set({ witnessId: v })}
            clearable
          />
          <TextInput
            label="Wasted at"
            type="datetime-local"
            value={f.at}
            onChange={(e) => set({ at: e.currentTarget.value })}
          />
          <Failure text={failure} />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit">Record waste</Button>
          </Group>
        </Stack>
      </form>
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
    </Modal>
  );
}

/** A physical count; the screen flags a count that differs from the book balance. */
export function CountDialog(props: DialogProps & { lots: InventoryLot[] }) {
  const store = useStore();
  const [f, setF] = useState({
    lotId: null as string | null,
    counted: undefined as number | undefined,
    note: '',
    biennial: 'count',
    at: nowInput(),
  });
  const [failure, setFailure] = useState<string>();
  const set = (p: Partial<typeof f>) => setF({ ...f, ...p });
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    try {
      await recordCount(store, {
        lotId: f.lotId ?? '',
        counted: f.counted ?? -1,
        note: f.note || undefined,
        biennial: f.biennial === 'biennial',
        occurredAt: fromLocalInput(f.at) ?? new Date().toISOString(),
      });
      notifications.show({ color: 'teal', message: 'Count recorded' });
      props.onClose();
    } catch (err) {
      setFailure(errorMessage(err));
    }
  };
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Record a count" centered>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Select
            label="Lot"
            data={lotOptions(props.lots)}
            allowDeselect={false}
            value={f.lotId}
            onChange={(v) => set({ lotId: v })}
          />
          <Select
            label="Kind of count"
            data={[
              { value: 'count', label: 'Routine count' },
              { value: 'biennial', label: 'Biennial inventory' },
            ]}
            value={f.biennial}
            allowDeselect={false}
            onChange={(v) => set({ biennial: v ?? 'count' })}
          />
          <NumberInput
            label="Quantity on hand"
            value={f.counted ?? ''}
            onChange={(v) => set({ counted: num(v) })}
          />
          <TextInput
            label="Note"
            value={f.note}
            onChange={(e) => set({ note: e.currentTarget.value })}
          />
          <TextInput
            label="Counted at"
            type="datetime-local"
            value={f.at}
            onChange={(e) => set({ at: e.currentTarget.value })}
          />
          <Failure text={failure} />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit">Record count</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
