/**
 * Shown instead of the app to a member whose role the clinic requires a second factor of and who
 * has none yet: they add one, or sign out (renderer/trust/second-factor-policy.ts).
 */
import { Box, Button, Card, Center, Group, Stack, Text, Title } from '@mantine/core';
import { signOut, useAppState } from '../../app/app-state';
import { SecondFactorPanel } from './SecondFactorPanel';
import { describeRule } from './SecondFactorRuleCard';
import { useSecondFactorPolicy } from './use-second-factor';

export function AddSecondFactorScreen() {
  const { clinic } = useAppState();
  const policy = useSecondFactorPolicy();
  return (
    <Box bg="gray.0" mih="100vh">
      <Center mih="100vh" p="md">
        <Card withBorder padding="xl" w={720} component="main">
          <Stack gap="md">
            <Group justify="space-between" align="flex-start">
              <Stack gap={4}>
                <Title order={1} size="h2" c="teal.9">
                  Add a second factor to continue
                </Title>
                <Text c="dimmed">{clinic?.clinicName}</Text>
              </Stack>
              {/* At the top: reachable without scrolling at 1280×800. */}
              <Button variant="default" onClick={() => void signOut()}>
                Sign out
              </Button>
            </Group>
            <Text>
              {policy && describeRule(policy)} Add a security key or an authenticator app now; you
              will use it with your passphrase every time you sign in.
            </Text>
            <SecondFactorPanel />
          </Stack>
        </Card>
      </Center>
    </Box>
  );
}
