import {
  Alert,
  Button,
  Card,
  Code,
  Progress,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { DEMO_PASSPHRASE, DEMO_SIZES, type DemoSize } from '../../../shared/demo/generate';
import { errorMessage } from '../../app/format';
import { DEMO_USERS, type DemoProgress, createDemoClinic } from './demo-clinic';

const nf = new Intl.NumberFormat();

export function DemoClinicCard() {
  const [size, setSize] = useState<DemoSize>('small');
  const [progress, setProgress] = useState<DemoProgress>();
  const [failure, setFailure] = useState<string>();
  const running = !!progress && !failure;

  const start = async () => {
    setFailure(undefined);
    try {
      await createDemoClinic(size, setProgress);
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };

  return (
    <Card withBorder padding="xl" component="section" aria-labelledby="demo-title">
      <Title order={2} size="h3" id="demo-title" mb="xs">
        Explore a demo clinic
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        A clinic filled with invented patients and years of sessions, to try KAT Chart safely. Every
        demo user signs in with the passphrase <Code>{DEMO_PASSPHRASE}</Code>.
      </Text>
      <Stack gap="sm">
        <div role="radiogroup" aria-labelledby="demo-size-label">
          <Text size="sm" fw={500} id="demo-size-label" mb={4}>
            Clinic size (patients)
          </Text>
          <SegmentedControl
            value={size}
            onChange={(v) => setSize(v as DemoSize)}
            disabled={running}
            fullWidth
            data={(Object.keys(DEMO_SIZES) as DemoSize[]).map((k) => ({
              value: k,
              label: `${k[0]!.toUpperCase()}${k.slice(1)} (${nf.format(DEMO_SIZES[k])})`,
            }))}
          />
        </div>
        <Table withRowBorders={false} verticalSpacing={2} fz="sm" aria-label="Demo users">
          <Table.Tbody>
            {DEMO_USERS.map((u) => (
              <Table.Tr key={u.username}>
                <Table.Td>
                  <Code>{u.username}</Code>
                </Table.Td>
                <Table.Td>
                  {u.displayName}
                  {u.credentials ? `, ${u.credentials}` : ''} — {u.what}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {progress && (
          <Stack gap={4} aria-live="polite">
            <Text size="sm">
              {progress.step} — {nf.format(progress.done)} of {nf.format(progress.total)} patients
            </Text>
            <Progress
              value={(progress.done / progress.total) * 100}
              aria-label="Demo clinic progress"
              animated={running}
            />
          </Stack>
        )}
        {failure && (
          <Alert color="red" title="The demo clinic could not be created">
            {failure}
          </Alert>
        )}
        <Button variant="light" color="grape" onClick={() => void start()} loading={running}>
          Explore a demo clinic
        </Button>
      </Stack>
    </Card>
  );
}
