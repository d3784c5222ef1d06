import { Center, Loader, MantineProvider } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { Router } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { SignInScreen } from '../features/setup/SignInScreen';
import { useAppState } from './app-state';
import { AppBoundary } from './ErrorBoundary';
import { StaffNotifications } from './StaffNotifications';
import { contrastResolver, theme } from './theme';

// Loaded when first shown (issue 20): the sign-in screen, which most launches open on, needs
// neither the signed-in app (charts, PDF building, every screen) nor the first-run setup.
const SignedInShell = lazy(() =>
  import('./SignedInShell').then((m) => ({ default: m.SignedInShell })),
);
const FirstRunScreen = lazy(() =>
  import('../features/setup/FirstRunScreen').then((m) => ({ default: m.FirstRunScreen })),
);

export function App() {
  return (
    <MantineProvider
      theme={theme}
      cssVariablesResolver={contrastResolver}
      defaultColorScheme="light"
    >
      <StaffNotifications />
      <AppBoundary>
        <Router hook={useHashLocation}>
          <Gate />
        </Router>
      </AppBoundary>
    </MantineProvider>
  );
}

function Opening() {
  return (
    <Center h="100vh">
      <Loader role="status" aria-label="Opening KAT Chart" />
    </Center>
  );
}

function Gate() {
  const { phase } = useAppState();
  switch (phase) {
    case 'loading':
      return <Opening />;
    case 'first-run':
      return (
        <Suspense fallback={<Opening />}>
          <FirstRunScreen />
        </Suspense>
      );
    case 'signed-out':
    case 'locked':
      return <SignInScreen />;
    case 'ready':
      return (
        <Suspense fallback={<Opening />}>
          <SignedInShell />
        </Suspense>
      );
  }
}
