import { Alert, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { DoseRecord } from '../../../shared/model';
import { overrideFor, voidedOverride, type SafetyFinding } from '../../../shared/rules/dosing';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { overrideDoseFinding } from '../../db/dose-repository';

const COLOR = { stop: 'red', 'needs-reason': 'orange', warn: 'yellow' } as const;
const TITLE = { stop: 'Stop', 'needs-reason': 'Needs a reason', warn: 'Check' } as const;

/** Safety findings: stops block, needs-reason items take a recorded (audited) reason. */
export function SafetyFindingsCard(props: {
  dose: DoseRecord;
  findings: SafetyFinding[] | undefined;
  readOnly: boolean;
}) {
  const { dose, findings } = props;
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        Safety checks
      </Title>
      {!findings ? (
        <Text size="sm">Checking…</Text>
      ) : findings.length === 0 ? (
        <Text size="sm" c="teal.9" fw={500}>
          All safety checks pass.
        </Text>
      ) : (
        <Stack gap="xs" aria-label="Safety findings">
          {findings.map((f) => (
            <Finding key={f.rule} dose={dose} finding={f} readOnly={props.readOnly} />
          ))}
        </Stack>
      )}
    </Card>
  );
}

function Finding(props: { dose: DoseRecord; finding: SafetyFinding; readOnly: boolean }) {
  const { dose, finding } = props;
  const store = useStore();
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<string>();
  const given = overrideFor(finding, dose.overrides);
  // A reason recorded for other values (the dose, weight or reading changed since) answers nothing.
  const voided = voidedOverride(finding, dose.overrides);
  const record = async () => {
    setFailure(undefined);
    try {
      await overrideDoseFinding(store, dose.id, finding.rule, reason, new Date(), finding.values);
      setReason('');
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };
  return (
    <Alert
      color={given ? 'teal' : COLOR[finding.severity]}
      title={given ? 'Reason recorded' : TITLE[finding.severity]}
    >
      <Text size="sm">{finding.message}</Text>
      <Text size="xs" mt={2}>
        Source: {finding.source}
      </Text>
      {given && (
        <Text size="sm" mt={4}>
          Reason: {given.reason}
        </Text>
      )}
      {voided && finding.severity === 'needs-reason' && (
        <Text size="sm" mt={4}>
          The earlier reason (“{voided.reason}”) was given for{' '}
          {describeValues(voided.values) || 'values recorded before this check'}; the values have
          changed, so it no longer applies.
        </Text>
      )}
      {finding.severity === 'needs-reason' && !given && !props.readOnly && (
        <Group mt="xs" align="flex-end">
          <TextInput
            style={{ flex: 1 }}
            label="Reason for going ahead"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <Button onClick={() => void record()}>Record reason</Button>
        </Group>
      )}
      {failure && (
        <Text size="sm" c="red.9" role="alert" mt={4}>
          {failure}
        </Text>
      )}
    </Alert>
  );
}

const VALUE_WORDS: Record<string, (v: number | string) => string> = {
  mg: (v) => `${v} mg`,
  weightKg: (v) => `${v} kg`,
  mgPerKg: (v) => `${v} mg/kg`,
  heartRate: (v) => `heart rate ${v}`,
};

/** "77 mg, 70 kg, 1.1 mg/kg" or "BP 152/94" — what an override was given for. */
function describeValues(values: Record<string, number | string> | undefined): string {
  if (!values) return '';
  const parts: string[] = [];
  if (values.systolic !== undefined) parts.push(`BP ${values.systolic}/${values.diastolic}`);
  for (const [k, v] of Object.entries(values)) {
    const words = VALUE_WORDS[k];
    if (words) parts.push(words(v));
  }
  return parts.join(', ');
}
