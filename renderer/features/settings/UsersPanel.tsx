import { zodResolver } from '@hookform/resolvers/zod';
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  NativeSelect,
  PasswordInput,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod';
import {
  Passphrase,
  ROLES,
  ROLE_LABELS,
  Role,
  type User,
  Username,
  nonEmpty,
} from '../../../shared/model';
import type { SecondFactor } from '../../../shared/crypto/second-factor';
import { can } from '../../../shared/rules/permissions';
import { RuleError } from '../../../shared/rules/errors';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { useRecordsOfKind } from '../../app/use-records';
import { addUser } from '../../db/auth';
import { setSupervisor } from '../../db/co-signature-repository';
import type { UserKeys } from '../../sync/clinic-keys';
import { removeUserEverywhere } from '../../sync/device-revocation';
import { syncNow } from '../../sync/sync-runtime';
import { announceKeysChanged } from '../sync/key-events';

const NewUser = z.object({
  displayName: nonEmpty('Full name').max(120),
  username: Username,
  credentials: z.string().max(40).optional(),
  roles: z.array(Role).min(1, 'Pick at least one role'),
  passphrase: Passphrase,
});
type NewUser = z.infer<typeof NewUser>;

export function UsersPanel() {
  const store = useStore();
  const users = useRecordsOfKind('user');
  const isAdmin = can(store.roles, 'write', 'user');
  const [removing, setRemoving] = useState<User>();
  // Each person's second factor, from their signed keyring row on this computer (the factor is
  // inside the row signature: shared/crypto/README.md, "Second factor").
  const factors = useLiveQuery(
    async () =>
      new Map(
        ((await store.db.keyring.toArray()) as UserKeys[]).map((k) => [k.userId, k.factor ?? null]),
      ),
    [store],
  );
  return (
    <Stack gap="lg">
      <Table aria-label="Users" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>User name</Table.Th>
            <Table.Th>Roles</Table.Th>
            <Table.Th>Supervised by</Table.Th>
            {isAdmin && <Table.Th>Second factor</Table.Th>}
            {isAdmin && (
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(users ?? []).map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>
                {u.displayName}
                {u.credentials ? `, ${u.credentials}` : ''}
              </Table.Td>
              <Table.Td>{u.username}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {u.active ? (
                    u.roles.map((r) => (
                      <Badge key={r} variant="light" size="sm">
                        {ROLE_LABELS[r]}
                      </Badge>
                    ))
                  ) : (
                    <Badge color="gray" variant="light" size="sm">
                      Removed
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <SupervisorCell user={u} users={users ?? []} editable={isAdmin} />
              </Table.Td>
              {isAdmin && (
                <Table.Td data-testid={`factor-of-${u.username}`}>
                  {u.active ? factorWords(factors?.get(u.id)) : '—'}
                </Table.Td>
              )}
              {isAdmin && (
                <Table.Td>
                  {u.active && u.id !== store.session.user.id && (
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={`Remove ${u.displayName}`}
                      onClick={() => setRemoving(u)}
                    >
                      Remove
                    </Button>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {isAdmin && <LostFactorNote />}
      {removing && <RemoveUserConfirm user={removing} onDone={() => setRemoving(undefined)} />}
      {isAdmin ? (
        <AddUserForm />
      ) : (
        <Text size="sm" c="dimmed">
          Only an administrator can add users.
        </Text>
      )}
    </Stack>
  );
}

/** "None" is said only for a row this computer holds; without one nothing is known here. */
function factorWords(f: SecondFactor | null | undefined): string {
  if (f === undefined) return 'Not known on this computer';
  if (f === null) return 'None';
  if (f.kind === 'authenticator-app') return 'Authenticator app';
  return f.prfSalt
    ? `Security key “${f.label}”, which also locks their keys`
    : `Security key “${f.label}”`;
}

/**
 * Where an administrator looks when a colleague has lost their key or phone: there is no button
 * to take a colleague's factor off, because where a security key locks their keys no administrator
 * could open them without it; the way back is the clinic recovery key on the sign-in screen
 * (recoverWithKey), which keeps that promise.
 */
function LostFactorNote() {
  return (
    <Alert
      color="gray"
      variant="light"
      role="note"
      aria-label="A colleague lost their security key or phone?"
      title="A colleague lost their security key or phone?"
    >
      <Text size="sm">
        An administrator cannot take a colleague’s second factor off. Where a security key also
        locks their keys, nobody — not an administrator, not the clinic server — can open those keys
        without it: that is what the key is for.
      </Text>
      <Text size="sm" mt="xs">
        The way back: on the sign-in screen, they choose “Forgot passphrase?” and enter the clinic
        recovery key from the clinic’s recovery sheet (made in Settings → Clinic server). That sets
        a new passphrase and takes the lost key or app off; they add a new one in Settings → Sign-in
        security. Where the clinic requires a second factor for their role, they are asked to add it
        at that sign-in.
      </Text>
    </Alert>
  );
}

const CLINICAL = (u: User) => u.roles.includes('therapist') || u.roles.includes('prescriber');

/**
 * A clinician under supervision: their signed notes go to this colleague to co-sign
 * (shared/rules/co-signature). Administrators set it; everyone sees it.
 */
function SupervisorCell(props: { user: User; users: User[]; editable: boolean }) {
  const store = useStore();
  const { user } = props;
  const [failure, setFailure] = useState<string>();
  const current = props.users.find((u) => u.id === user.supervisorId);
  if (!user.active || !CLINICAL(user)) return <Text size="sm">—</Text>;
  if (!props.editable) return <Text size="sm">{current?.displayName ?? 'Not supervised'}</Text>;
  const choices = props.users.filter((u) => u.active && CLINICAL(u) && u.id !== user.id);
  const change = async (value: string) => {
    setFailure(undefined);
    try {
      await setSupervisor(store, user.id, value || null);
      const chosen = choices.find((u) => u.id === value);
      notifications.show({
        color: 'teal',
        message: chosen
          ? `${user.displayName}’s signed notes now go to ${chosen.displayName} to co-sign.`
          : `${user.displayName} is no longer under supervision.`,
      });
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };
  return (
    <NativeSelect
      size="xs"
      aria-label={`Supervisor of ${user.displayName}`}
      value={user.supervisorId ?? ''}
      onChange={(e) => void change(e.currentTarget.value)}
      data={[
        { value: '', label: 'Not supervised' },
        ...choices.map((u) => ({ value: u.id, label: u.displayName })),
      ]}
      error={failure}
    />
  );
}

function AddUserForm() {
  const store = useStore();
  const [failure, setFailure] = useState<string>();
  const form = useForm<NewUser>({
    resolver: zodResolver(NewUser),
    defaultValues: { roles: [], displayName: '', username: '', credentials: '', passphrase: '' },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (v) => {
    setFailure(undefined);
    try {
      const user = await addUser(store, { ...v, credentials: v.credentials || undefined });
      notifications.show({
        color: 'teal',
        message: `${user.displayName} can now sign in as “${user.username}”`,
      });
      form.reset();
    } catch (e) {
      // A guessable passphrase is said under its field, where it is typed again.
      if (e instanceof RuleError && e.code === 'passphrase.weak')
        form.setError('passphrase', { message: e.message }, { shouldFocus: true });
      else setFailure(errorMessage(e));
    }
  });
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="add-user-title">
      <Title order={3} size="h4" id="add-user-title" mb="sm">
        Add a user
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label="Full name"
              {...form.register('displayName')}
              error={errors.displayName?.message}
            />
            <TextInput
              label="Credentials"
              description="Shown after the name on signatures, e.g. MD, LCSW"
              {...form.register('credentials')}
            />
            <TextInput
              label="User name"
              {...form.register('username')}
              error={errors.username?.message}
            />
          </SimpleGrid>
          <Controller
            control={form.control}
            name="roles"
            render={({ field }) => (
              <Checkbox.Group
                label="Roles"
                value={field.value}
                onChange={field.onChange}
                error={errors.roles?.message}
              >
                <Group mt={4}>
                  {ROLES.map((r) => (
                    <Checkbox key={r} value={r} label={ROLE_LABELS[r]} />
                  ))}
                </Group>
              </Checkbox.Group>
            )}
          />
          <PasswordInput
            label="First passphrase"
            description="Give it to them in person; at least 10 characters"
            autoComplete="new-password"
            {...form.register('passphrase')}
            error={errors.passphrase?.message}
          />
          {failure && (
            <Alert color="red" title="User not added">
              {failure}
            </Alert>
          )}
          <Button type="submit" loading={isSubmitting} w="fit-content">
            Add user
          </Button>
        </Stack>
      </form>
    </Card>
  );
}

/**
 * Removing a colleague: their account is deactivated (records and signatures stay) and a new
 * clinic key is made that they never receive (renderer/sync/clinic-keys.ts).
 */
function RemoveUserConfirm({ user, onDone }: { user: User; onDone: () => void }) {
  const store = useStore();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const remove = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const r = await removeUserEverywhere(store, user.id);
      announceKeysChanged();
      notifications.show({
        color: 'teal',
        message:
          `${user.displayName} was removed. Clinic key version ${r.version} is now active.` +
          (r.waiting.length ? ` ${r.waiting.join(', ')} receive it at their next sign-in.` : ''),
      });
      void syncNow();
      onDone();
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Alert color="orange" title={`Remove ${user.displayName}?`} role="alertdialog">
      They can no longer sign in on any of the clinic’s computers, and a new clinic key is made that
      they never receive. Their notes and signatures stay in the charts.
      {failure && (
        <Text c="red" size="sm" mt="xs" role="alert">
          {failure}
        </Text>
      )}
      <Group mt="sm">
        <Button color="red" loading={busy} onClick={() => void remove()}>
          Remove {user.displayName}
        </Button>
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
      </Group>
    </Alert>
  );
}
