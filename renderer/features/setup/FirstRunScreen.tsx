import {
  Box,
  Card,
  Center,
  Container,
  Divider,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { CreateClinicForm } from './CreateClinicForm';
import { DemoClinicCard } from './DemoClinicCard';
import { RestoreBackupCard } from '../backup/RestoreBackupCard';
import { JoinClinicCard } from '../sync/JoinClinicCard';

export function FirstRunScreen() {
  return (
    <Box bg="gray.0" mih="100vh" py={48}>
      <Container size="lg">
        <Stack gap="xs" mb="xl">
          <Title order={1}>Welcome to KAT Chart</Title>
          <Text c="dimmed" maw={720}>
            Charting for ketamine-assisted therapy that keeps working without a network. Everything
            you record is encrypted on this computer; only people with a passphrase can open it.
          </Text>
        </Stack>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
          <Card withBorder padding="xl" component="section" aria-labelledby="setup-title">
            <Title order={2} size="h3" id="setup-title" mb="xs">
              Set up your clinic
            </Title>
            <Text size="sm" c="dimmed" mb="md">
              You become the clinic’s administrator. You can add colleagues afterwards.
            </Text>
            <CreateClinicForm />
          </Card>
          <DemoClinicCard />
          <RestoreBackupCard />
          <JoinClinicCard />
        </SimpleGrid>
        <Divider my="xl" />
        <Center>
          <Text size="xs" c="dimmed">
            Joining an existing clinic that already syncs? Use “Join a clinic” with a code from your
            administrator.
          </Text>
        </Center>
      </Container>
    </Box>
  );
}
