import {
  AppShell,
  Badge,
  Burger,
  Button,
  Group,
  Kbd,
  NavLink,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { Route, Switch, useLocation } from 'wouter';
import { ROLE_LABELS } from '../../shared/model';
import { can } from '../../shared/rules/permissions';
import { NAV, ROUTES } from './routes';
import { lock, signOut, useAppState } from './app-state';
import { useClinicSettings } from './use-records';
import { useIdleLock } from './use-idle-lock';
import { SyncStatusBadge } from '../features/sync/SyncStatusBadge';
import { useScheduledBackups } from '../features/backup/scheduled-backup';
import { platform } from '../platform';

export function SignedInShell() {
  const { session, clinic, store } = useAppState();
  const settings = useClinicSettings();
  useScheduledBackups(store, platform); // desktop only: the administrator's backup schedule
  const [location, navigate] = useLocation();
  const [opened, { toggle }] = useDisclosure();
  useIdleLock(settings.autoLockMinutes);
  useHotkeys([
    ['alt+L', () => void lock()],
    ['alt+N', () => navigate('/patients/new')],
    ['alt+P', () => navigate('/')],
  ]);
  const user = session!.user;

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Show navigation"
            />
            <Title order={1} size="h4" c="teal.9">
              KAT Chart
            </Title>
            <Text c="dimmed" size="sm" truncate>
              {settings.clinicName ?? clinic?.clinicName}
            </Text>
            {clinic?.demo && (
              <Badge color="grape" variant="light">
                Demo clinic — synthetic data
              </Badge>
            )}
          </Group>
          <Group gap="sm" wrap="nowrap">
            <SyncStatusBadge />
            <Text size="sm" visibleFrom="sm">
              {user.displayName} · {user.roles.map((r) => ROLE_LABELS[r]).join(', ')}
            </Text>
            <Tooltip
              label={
                <>
                  Lock now <Kbd size="xs">Alt</Kbd>+<Kbd size="xs">L</Kbd>
                </>
              }
            >
              <Button variant="default" size="xs" onClick={() => void lock()}>
                Lock
              </Button>
            </Tooltip>
            <Button variant="subtle" size="xs" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main">
        {NAV.filter(
          (n) =>
            (!n.needsRead || can(user.roles, 'read', n.needsRead)) &&
            (!n.needsRole || user.roles.includes(n.needsRole)),
        ).map((n) => (
          <NavLink
            key={n.href}
            href={`#${n.href}`}
            label={n.label}
            active={n.match(location)}
            onClick={(e) => {
              e.preventDefault();
              navigate(n.href);
            }}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Switch>
          {ROUTES.map((r) => (
            <Route key={r.path} path={r.path}>
              {(params) => <r.component params={params as Record<string, string>} />}
            </Route>
          ))}
          <Route>
            <Text>That page does not exist.</Text>
          </Route>
        </Switch>
      </AppShell.Main>
    </AppShell>
  );
}
