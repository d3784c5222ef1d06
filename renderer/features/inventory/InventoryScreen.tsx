import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { clinicDay } from '../../../shared/rules/dosing';
import type { InventoryLot } from '../../../shared/model';
import {
  UNIT_WORDS,
  biennialInventoryDue,
  countDiscrepancies,
  lotContainer,
  type CountDiscrepancy,
} from '../../../shared/rules/inventory';
import { can } from '../../../shared/rules/permissions';
import { VirtualTableBody, ariaRowCount } from '../../app/VirtualTableBody';
import { useStore } from '../../app/app-state';
import { errorMessage, formatCalendarDate, formatDateTime } from '../../app/format';
import { useClinicSettings, usePatientIndex, useRecordsOfKind } from '../../app/use-records';
import { useInventory } from '../dosing/use-dose';
import { AdjustmentDialog, CountDialog, type AdjustmentPrefill } from './CountDialogs';
import { InitialStockDialog, ReceiveLotDialog, WasteDialog } from './InventoryDialogs';
import { useDisclosureQuestion } from '../disclosures/DisclosureDialog';
import { printControlledSubstanceLog, type PrintMode } from './print-prescriber';

const TYPE_WORDS: Record<string, string> = {
  receipt: 'Receipt',
  administration: 'Administration',
  waste: 'Waste',
  adjustment: 'Adjustment',
  count: 'Count',
  'initial-inventory': 'Initial inventory',
  'biennial-inventory': 'Biennial inventory',
};

/** The controlled-substance log: lots with running balances, receipts, waste, counts, printing. */
export function InventoryScreen() {
  const store = useStore();
  const view = useInventory();
  const users = useRecordsOfKind('user');
  const patients = usePatientIndex();
  const [dialog, setDialog] = useState<'receive' | 'waste' | 'count' | 'adjust' | 'initial'>();
  const [prefill, setPrefill] = useState<AdjustmentPrefill>();
  // The clinic's day (its time zone from the dosing settings), as the rules count it.
  const { timeZone } = useClinicSettings();
  const today = clinicDay(new Date(), timeZone);
  const [range, setRange] = useState({ from: `${today.slice(0, 8)}01`, to: today });
  const [printing, setPrinting] = useState<PrintMode>();
  const disclosures = useDisclosureQuestion();
  const writable = can(store.roles, 'write', 'inventory-transaction');

  if (!store.canRead('inventory-lot'))
    return <Text>Only prescribers and administrators can see the controlled-substance log.</Text>;
  if (!view || !users) return <Loader role="status" aria-label="Loading the inventory" />;

  const names = Object.fromEntries(users.map((u) => [u.id, u.displayName]));
  const discrepancies = countDiscrepancies(view.entries);
  const flags = discrepancies.filter((d) => !d.resolvedBy);
  const flagOf = new Map(discrepancies.map((d) => [d.countId, d]));
  const entries = [...view.entries].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
  const close = () => {
    setDialog(undefined);
    setPrefill(undefined);
  };
  const biennial = biennialInventoryDue(view.entries, today, timeZone);
  const lotNumber = (id: string) => view.lots.find((l) => l.id === id)?.lotNumber ?? '?';
  const print = async (mode: PrintMode) => {
    // The log names every patient dosed in the range: who it goes to is asked (HIPAA 164.528).
    const disclosure = await disclosures.ask({
      what: `The controlled-substance log, ${range.from} to ${range.to}`,
    });
    if (!disclosure) return;
    setPrinting(mode);
    try {
      await printControlledSubstanceLog(store, range, mode, disclosure);
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    } finally {
      setPrinting(undefined);
    }
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Controlled-substance log</Title>
        {writable && (
          <Group>
            <Button onClick={() => setDialog('receive')}>Receive stock</Button>
            <Button variant="default" onClick={() => setDialog('waste')}>
              Record waste
            </Button>
            <Button variant="default" onClick={() => setDialog('count')}>
              Record count
            </Button>
            <Button variant="default" onClick={() => setDialog('adjust')}>
              Adjust balance
            </Button>
            <Button variant="default" onClick={() => setDialog('initial')}>
              Initial inventory
            </Button>
          </Group>
        )}
      </Group>
      {!writable && <Text size="sm">Read only: only prescribers record entries.</Text>}
      <Alert color={biennial.overdue ? 'orange' : 'blue'} role="status">
        {biennial.message}
      </Alert>
      {flags.map((d) => (
        <Alert key={d.countId} color="red" role="alert" title="Count discrepancy">
          Lot {lotNumber(d.lotId)} counted {d.counted} on {formatDateTime(d.at)}; the book balance
          was {d.expected} (difference {d.difference}). Investigate and record an adjustment.
          {writable && (
            <Group mt="xs">
              <Button
                size="xs"
                variant="white"
                color="red"
                aria-label={`Record adjustment for lot ${lotNumber(d.lotId)}, counted ${formatDateTime(d.at)}`}
                onClick={() => {
                  setPrefill({ lotId: d.lotId, quantity: d.difference, corrects: d.countId });
                  setDialog('adjust');
                }}
              >
                Record adjustment
              </Button>
            </Group>
          )}
        </Alert>
      ))}
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Lots on hand
        </Title>
        {view.lots.length === 0 ? (
          <Text size="sm">No stock received yet.</Text>
        ) : (
          <Table aria-label="Lots" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Lot</Table.Th>
                <Table.Th>Product</Table.Th>
                <Table.Th>Per container</Table.Th>
                <Table.Th>Expiry</Table.Th>
                <Table.Th>On hand</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {view.lots.map((l) => (
                <Table.Tr key={l.id}>
                  <Table.Td fw={600}>{l.lotNumber}</Table.Td>
                  <Table.Td>{l.productName}</Table.Td>
                  <Table.Td aria-label={`Per container, lot ${l.lotNumber}`}>
                    {containerWords(l)}
                  </Table.Td>
                  <Table.Td>
                    {formatCalendarDate(l.expiry)}{' '}
                    {l.expiry < today && <Badge color="red">Expired</Badge>}
                  </Table.Td>
                  <Table.Td aria-label={`On hand, lot ${l.lotNumber}`}>
                    {view.balances[l.id] ?? 0} {l.unit}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Print the log
        </Title>
        <Group align="flex-end">
          <TextInput
            label="From"
            type="date"
            value={range.from}
            onChange={(e) => setRange({ ...range, from: e.currentTarget.value })}
          />
          <TextInput
            label="To"
            type="date"
            value={range.to}
            onChange={(e) => setRange({ ...range, to: e.currentTarget.value })}
          />
          <Button loading={printing === 'print'} onClick={() => void print('print')}>
            Print log
          </Button>
          <Button
            variant="default"
            loading={printing === 'save'}
            onClick={() => void print('save')}
          >
            Save log as PDF
          </Button>
        </Group>
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Entries
        </Title>
        {/* Every entry, drawn only around the screen (issue 20: a clinic's log reaches tens of
            thousands); fixed columns, so they keep their widths whichever rows are drawn. */}
        <Table aria-label="Log entries" layout="fixed" aria-rowcount={ariaRowCount(entries.length)}>
          <Table.Thead>
            <Table.Tr aria-rowindex={1}>
              <Table.Th w="14%">When</Table.Th>
              <Table.Th w="10%">Lot</Table.Th>
              <Table.Th w="11%">Entry</Table.Th>
              <Table.Th w="14%">Quantity</Table.Th>
              <Table.Th w="15%">Patient</Table.Th>
              <Table.Th w="16%">Note</Table.Th>
              <Table.Th w="10%">By</Table.Th>
              <Table.Th w="10%">Witness</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <VirtualTableBody
            count={entries.length}
            columns={8}
            rowHeight={41}
            rowKey={(i) => entries[i]!.id}
          >
            {(i) => {
              const e = entries[i]!;
              return (
                <>
                  <Table.Td>{formatDateTime(e.occurredAt)}</Table.Td>
                  <Table.Td>{lotNumber(e.lotId)}</Table.Td>
                  <Table.Td>{TYPE_WORDS[e.type]}</Table.Td>
                  <Table.Td>
                    {e.countedQuantity !== undefined ? `counted ${e.countedQuantity}` : e.quantity}{' '}
                    <DiscrepancyBadge flag={flagOf.get(e.id)} />
                  </Table.Td>
                  <Table.Td>
                    {e.patientId && (
                      <>
                        {patients.get(e.patientId)?.displayName ?? 'Unknown patient'}
                        {/* 21 CFR 1304.22(c): name and address of the person */}
                        <Text size="xs" c="dimmed">
                          {e.patientAddress ?? 'Address not kept with this entry'}
                        </Text>
                      </>
                    )}
                  </Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{e.note ?? ''}</Table.Td>
                  <Table.Td>{names[e.performedBy] ?? '—'}</Table.Td>
                  <Table.Td>{e.witnessId ? (names[e.witnessId] ?? '—') : ''}</Table.Td>
                </>
              );
            }}
          </VirtualTableBody>
        </Table>
      </Card>
      {dialog === 'receive' && <ReceiveLotDialog opened onClose={close} />}
      {dialog === 'initial' && <InitialStockDialog opened onClose={close} />}
      {dialog === 'waste' && <WasteDialog opened onClose={close} lots={view.lots} users={users} />}
      {dialog === 'count' && <CountDialog opened onClose={close} lots={view.lots} />}
      {dialog === 'adjust' && (
        <AdjustmentDialog opened onClose={close} lots={view.lots} prefill={prefill} />
      )}
      {disclosures.dialog}
    </Stack>
  );
}

/** What one container holds: recorded, read from an older lot's product name (said so), or not. */
function containerWords(lot: InventoryLot): string {
  const c = lotContainer(lot);
  if (!c) return 'Not recorded';
  const words = `${c.amount} ${UNIT_WORDS[c.unit]}`;
  return c.fromProductName ? `${words} (read from the product name)` : words;
}

/** A count that differed from the book: red until an adjustment corrects it. */
function DiscrepancyBadge({ flag }: { flag?: CountDiscrepancy }) {
  if (!flag) return null;
  const diff = flag.difference > 0 ? `+${flag.difference}` : String(flag.difference);
  return flag.resolvedBy ? (
    <Badge color="gray" variant="light">
      Discrepancy {diff}, adjusted
    </Badge>
  ) : (
    <Badge color="red">Discrepancy {diff}</Badge>
  );
}
