import { Center, Loader, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { Router } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { FirstRunScreen } from '../features/setup/FirstRunScreen';
import { SignInScreen } from '../features/setup/SignInScreen';
import { useAppState } from './app-state';
import { SignedInShell } from './SignedInShell';
import { contrastResolver, theme } from './theme';

export function App() {
  return (
    <MantineProvider
      theme={theme}
      cssVariablesResolver={contrastResolver}
      defaultColorScheme="light"
    >
      <Notifications position="top-right" />
      <Router hook={useHashLocation}>
        <Gate />
      </Router>
    </MantineProvider>
  );
}

function Gate() {
  const { phase } = useAppState();
  switch (phase) {
    case 'loading':
      return (
        <Center h="100vh">
          <Loader aria-label="Opening KAT Chart" />
        </Center>
      );
    case 'first-run':
      return <FirstRunScreen />;
    case 'signed-out':
    case 'locked':
      return <SignInScreen />;
    case 'ready':
      return <SignedInShell />;
  }
}
