import {
  Anchor,
  AppShell,
  Badge,
  Burger,
  Button,
  Group,
  Kbd,
  Loader,
  NavLink,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { lazy, Suspense } from 'react';
import { Route, Switch, useLocation } from 'wouter';
import { ROLE_LABELS } from '../../shared/model';
import { can } from '../../shared/rules/permissions';
import { CHART, HEADER_ITEMS, NAV, ROUTES } from './routes';
import { ChartContributionsProvider } from './contributions';
import { lock, signOut, useAppState } from './app-state';
import { useClinicSettings } from './use-records';
import { useIdleLock } from './use-idle-lock';
import { SyncStatusBadge } from '../features/sync/SyncStatusBadge';
import { ResealBadge } from '../features/settings/ResealStatus';
import { useScheduledBackups } from '../features/backup/scheduled-backup';
import { platform } from '../platform';
import { EmergencyAccessBanner } from '../features/audit/EmergencyAccess';
import { RouteBoundary } from './ErrorBoundary';
import { homeRoute } from './home-route';
import { usePatientModeOn } from '../features/patient-mode/patient-mode-store';
import { useMustAddSecondFactor } from '../features/settings/use-second-factor';
import { AddSecondFactorScreen } from '../features/settings/AddSecondFactorScreen';

// The patient's screen comes with the signature pads; loaded when a patient is handed the device.
const PatientModeShell = lazy(() =>
  import('../features/patient-mode/PatientModeShell').then((m) => ({
    default: m.PatientModeShell,
  })),
);

/**
 * While patient mode is on for this computer, the patient's screen is all there is: no header,
 * navigation, shortcuts or routes (issue 17), whatever the address says, until staff end it.
 */
export function SignedInShell() {
  const { store } = useAppState();
  const patientMode = usePatientModeOn();
  const mustAddFactor = useMustAddSecondFactor(); // the clinic's rule (issue 18 deliverable 5)
  useScheduledBackups(store, platform); // desktop only: the administrator's backup schedule
  if (mustAddFactor && !patientMode) return <AddSecondFactorScreen />;
  if (patientMode)
    return (
      <Suspense fallback={<Loader role="status" aria-label="Opening patient mode" />}>
        <PatientModeShell />
      </Suspense>
    );
  return <StaffShell />;
}

function StaffShell() {
  const { session, clinic } = useAppState();
  const settings = useClinicSettings();
  const [location, navigate] = useLocation();
  const [opened, { toggle }] = useDisclosure();
  useIdleLock(settings.autoLockMinutes);
  useHotkeys([
    ['alt+N', () => navigate('/patients/new')],
    ['alt+P', () => navigate('/')],
  ]);
  // Lock works from anywhere: a text box, a dialog, an editor (nothing typed is lost, before-lock).
  useHotkeys([['alt+L', () => void lock()]], [], true);
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
            <ResealBadge />
          </Group>
          <Group gap="sm" wrap="nowrap">
            {HEADER_ITEMS.map((Item, i) => (
              <Item key={i} />
            ))}
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
            rightSection={
              n.useCount ? <NavCount useCount={n.useCount} label={n.label} /> : undefined
            }
            active={n.match(location)}
            onClick={(e) => {
              e.preventDefault();
              navigate(n.href);
            }}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <EmergencyAccessBanner />
        <ChartContributionsProvider value={CHART}>
          <RouteBoundary>
            {/* A screen loaded on first visit (routes.tsx) shows this meanwhile. */}
            <Suspense fallback={<Loader role="status" aria-label="Opening the screen" />}>
              <Switch>
                {ROUTES.map((r) => (
                  <Route key={r.path} path={r.path}>
                    {(params) => <r.component params={params as Record<string, string>} />}
                  </Route>
                ))}
                <Route>
                  <Stack gap="xs" align="flex-start">
                    <Text>That page does not exist.</Text>
                    <Anchor href={`#${homeRoute(user.roles)}`}>Back to the start screen</Anchor>
                  </Stack>
                </Route>
              </Switch>
            </Suspense>
          </RouteBoundary>
        </ChartContributionsProvider>
      </AppShell.Main>
    </AppShell>
  );
}

/** The count beside a navigation entry ("My work today 3"); nothing when there is nothing. */
function NavCount({ useCount, label }: { useCount: () => number | undefined; label: string }) {
  const count = useCount();
  if (!count) return null;
  return (
    <Badge
      size="sm"
      variant="filled"
      color="teal"
      circle={count < 10}
      aria-label={`${count} waiting in ${label}`}
    >
      {count}
    </Badge>
  );
}
