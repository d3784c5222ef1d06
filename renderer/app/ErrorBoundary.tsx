/**
 * No screen can take the app down (issue 18 point 1). A render error — a refused read thrown from a
 * live query, a record that no longer parses, a bug — stays inside the screen or card it happened
 * in: the header, the navigation and everything typed elsewhere remain, with a message in plain
 * words and a way back. A refused read says "You don't have access to this" and, where emergency
 * access would open it, offers that.
 */
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { Component, type ErrorInfo, type ReactNode, useState } from 'react';
import { useLocation } from 'wouter';
import { RuleError } from '../../shared/rules/errors';
import { AccessRefusedError, isAccessRefused } from '../db/access-refused';
import { emergencyAccessOffered } from '../db/break-glass';
import { EmergencyAccessDialog } from '../features/audit/EmergencyAccess';
import { getAppState } from './app-state';
import { errorMessage } from './format';
import { homeRoute } from './home-route';

type FallbackProps = { error: unknown; retry: () => void };
type BoundaryProps = {
  fallback: (p: FallbackProps) => ReactNode;
  children?: ReactNode;
  /** When this changes, a problem shown is cleared and the children are tried again. */
  resetKey?: unknown;
};

export class ErrorBoundary extends Component<BoundaryProps, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };

  static getDerivedStateFromError(error: unknown) {
    return { error: error ?? new Error('Unknown error') };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    // Kept for whoever opens the developer console; the person sees the fallback's words.
    if (!isAccessRefused(error)) console.error('Screen error', error, info.componentStack);
  }

  retry = () => this.setState({ error: undefined });

  override componentDidUpdate(prev: BoundaryProps) {
    if (this.state.error !== undefined && prev.resetKey !== this.props.resetKey) this.retry();
  }

  override render() {
    if (this.state.error !== undefined)
      return this.props.fallback({ error: this.state.error, retry: this.retry });
    return this.props.children;
  }
}

/**
 * One route's screen; a new address clears a problem shown. The screen itself is not remounted:
 * an editor that moves its own address (a new note or summary taking its id on the first autosave)
 * keeps what is being typed into it.
 */
export function RouteBoundary({ children }: { children: ReactNode }) {
  const [location] = useLocation();
  return (
    <ErrorBoundary resetKey={location} fallback={(p) => <ScreenProblem {...p} />}>
      {children}
    </ErrorBoundary>
  );
}

/** A card or panel inside a screen: the rest of the screen stays usable. */
export function CardBoundary({ children, what }: { children: ReactNode; what: string }) {
  return (
    <ErrorBoundary
      fallback={({ error, retry }) =>
        isAccessRefused(error) ? (
          <Text size="sm" c="dimmed">
            You don’t have access to {what}.
          </Text>
        ) : (
          <Alert color="orange" title={`${capitalize(what)} could not be shown`}>
            <Group justify="space-between" wrap="nowrap">
              <Text size="sm">{plainWords(error)}</Text>
              <Button size="xs" variant="default" onClick={retry}>
                Try again
              </Button>
            </Group>
          </Alert>
        )
      }
    >
      {children}
    </ErrorBoundary>
  );
}

/** The whole app, as a last resort: a reload is the way back. */
export function AppBoundary({ children }: { children: ReactNode }) {
  return (
    <ErrorBoundary
      fallback={({ error }) => (
        <Stack p="xl" maw={640} component="main">
          <Alert color="red" title="KAT Chart ran into a problem" role="alert">
            <Stack gap="xs">
              <Text size="sm">{plainWords(error)}</Text>
              <Text size="sm">
                Everything saved is safe, and unsaved input is kept encrypted. Reload to continue;
                you will be asked to sign in again.
              </Text>
              <Group>
                <Button onClick={() => window.location.reload()}>Reload KAT Chart</Button>
              </Group>
            </Stack>
          </Alert>
        </Stack>
      )}
    >
      {children}
    </ErrorBoundary>
  );
}

function ScreenProblem({ error, retry }: FallbackProps) {
  const [, navigate] = useLocation();
  const back = (
    <Button
      variant="default"
      onClick={() => navigate(homeRoute(getAppState().session?.user.roles ?? []))}
    >
      Back to the start screen
    </Button>
  );
  if (isAccessRefused(error)) return <AccessRefused error={error} back={back} />;
  return (
    <Alert color="orange" title="This screen could not be shown" role="alert" maw={720}>
      <Stack gap="xs">
        <Text size="sm">{plainWords(error)}</Text>
        <Text size="sm">
          Nothing you saved was lost. Try again, or go back; if it keeps happening, tell your
          administrator what you were opening.
        </Text>
        <Group>
          <Button onClick={retry}>Try again</Button>
          {back}
        </Group>
      </Stack>
    </Alert>
  );
}

function AccessRefused({ error, back }: { error: unknown; back: ReactNode }) {
  const [opened, setOpened] = useState(false);
  const store = getAppState().store;
  const patientId = error instanceof AccessRefusedError ? error.patientId : '';
  const offer =
    !!store &&
    !!patientId &&
    error instanceof AccessRefusedError &&
    error.action === 'read' &&
    emergencyAccessOffered(store, error.kind);
  return (
    <Alert color="gray" title="You don’t have access to this" role="alert" maw={720}>
      <Stack gap="xs">
        <Text size="sm">{errorMessage(error)}</Text>
        {offer && (
          <Text size="sm">
            If a patient’s safety depends on it, emergency access opens this chart for you for a
            short time. Your reason is recorded and reviewed by an administrator.
          </Text>
        )}
        <Group>
          {offer && (
            <Button color="red" variant="outline" onClick={() => setOpened(true)}>
              Emergency access…
            </Button>
          )}
          {back}
        </Group>
      </Stack>
      {offer && (
        <EmergencyAccessDialog
          patientId={patientId}
          opened={opened}
          onClose={() => setOpened(false)}
        />
      )}
    </Alert>
  );
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Rule errors already speak to people; anything else gets a plain sentence, not a stack. */
function plainWords(error: unknown): string {
  if (error instanceof RuleError) return errorMessage(error);
  const known = errorMessage(error);
  if (error instanceof Error && /^[A-Z][^{}()<>]*[.!]$/.test(known) && known.length < 240)
    return known;
  return 'Something went wrong while showing this.';
}
