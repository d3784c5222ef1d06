import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { ConsentTemplate, PacketForm } from '../../../shared/model';
import { latestTemplates } from '../../../shared/rules/consent';
import type { PacketLike } from '../../../shared/rules/consent-packets';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { createPacket, savePacketEdit } from '../../db/consent-packets-repository';

/**
 * Create or edit a packet: its name, which forms, in which order, which are required. Saving an
 * edit stores the next version; consents already signed are not touched, but the status of every
 * patient in the program follows the new requirements at once.
 */
export function PacketEditor(props: {
  packet?: PacketLike;
  templates: ConsentTemplate[];
  onClose: () => void;
}) {
  const store = useStore();
  const p = props.packet;
  const [name, setName] = useState(p?.name ?? '');
  const [forms, setForms] = useState<PacketForm[]>(p?.forms ?? []);
  const [adding, setAdding] = useState<string | null>(null);
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const live = latestTemplates(props.templates).filter((t) => !t.retired);
  const title = (key: string) =>
    props.templates.find((t) => t.templateKey === key)?.title ?? `${key} (no such form)`;
  const available = live
    .filter((t) => !forms.some((f) => f.templateKey === t.templateKey))
    .sort((a, b) => a.title.localeCompare(b.title));

  const move = (i: number, by: number) =>
    setForms((fs) => {
      const next = [...fs];
      const [f] = next.splice(i, 1);
      next.splice(i + by, 0, f!);
      return next;
    });

  const save = async (edit?: { retired: boolean }) => {
    setFailure(undefined);
    setBusy(true);
    try {
      const saved = p
        ? await savePacketEdit(store, p, edit ?? { name, forms })
        : await createPacket(store, { name, forms });
      notifications.show({
        color: 'teal',
        message: edit?.retired
          ? `Retired the packet “${saved.name}”. Its signed consents stay in the charts.`
          : `Saved the packet “${saved.name}” as version ${saved.version}.`,
      });
      props.onClose();
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened
      onClose={props.onClose}
      title={p ? `Edit packet “${p.name}”` : 'New packet'}
      size="xl"
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack gap="sm">
          {p && (
            <Text size="sm">
              {p.version
                ? `You are editing version ${p.version}. Saving makes version ${p.version + 1}.`
                : 'This is the packet KAT Chart shipped with. Saving stores it as version 1 and your change as version 2.'}{' '}
              Required forms decide whether a patient’s consent for this program is current.
            </Text>
          )}
          <TextInput
            label="Packet name (the program’s name, as people read it)"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <Table aria-label="Forms in this packet">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Order</Table.Th>
                <Table.Th>Form</Table.Th>
                <Table.Th>Required</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {forms.map((f, i) => (
                <Table.Tr key={f.templateKey}>
                  <Table.Td>{i + 1}</Table.Td>
                  <Table.Td>{title(f.templateKey)}</Table.Td>
                  <Table.Td>
                    <Checkbox
                      aria-label={`Required: ${title(f.templateKey)}`}
                      checked={f.required}
                      onChange={(e) => {
                        const required = e.currentTarget.checked;
                        setForms((fs) => fs.map((x, j) => (j === i ? { ...x, required } : x)));
                      }}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button
                        size="compact-xs"
                        variant="default"
                        disabled={i === 0}
                        onClick={() => move(i, -1)}
                        aria-label={`Move ${title(f.templateKey)} up`}
                      >
                        Up
                      </Button>
                      <Button
                        size="compact-xs"
                        variant="default"
                        disabled={i === forms.length - 1}
                        onClick={() => move(i, 1)}
                        aria-label={`Move ${title(f.templateKey)} down`}
                      >
                        Down
                      </Button>
                      <Button
                        size="compact-xs"
                        variant="default"
                        color="red"
                        onClick={() => setForms((fs) => fs.filter((_, j) => j !== i))}
                        aria-label={`Remove ${title(f.templateKey)}`}
                      >
                        Remove
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {forms.length === 0 && <Text size="sm">No forms yet: add the first one below.</Text>}
          <Group align="flex-end">
            <Select
              label="Add a form"
              placeholder={available.length ? 'Choose a form' : 'Every form is in this packet'}
              data={available.map((t) => ({ value: t.templateKey, label: t.title }))}
              value={adding}
              onChange={setAdding}
              disabled={available.length === 0}
              w={360}
            />
            <Button
              variant="default"
              disabled={!adding}
              onClick={() => {
                if (!adding) return;
                setForms((fs) => [...fs, { templateKey: adding, required: true }]);
                setAdding(null);
              }}
            >
              Add form
            </Button>
          </Group>
          {failure && (
            <Alert color="red" role="alert" title="Not saved">
              {failure}
            </Alert>
          )}
          <Group justify="space-between">
            <div>
              {p && !p.retired ? (
                <Button
                  variant="subtle"
                  color="red"
                  onClick={() => void save({ retired: true })}
                  loading={busy}
                >
                  Retire this packet
                </Button>
              ) : p?.retired ? (
                <Button variant="subtle" onClick={() => void save({ retired: false })}>
                  Offer this packet again
                </Button>
              ) : null}
            </div>
            <Group>
              <Button variant="default" onClick={props.onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={busy}>
                {p ? 'Save packet' : 'Create packet'}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
