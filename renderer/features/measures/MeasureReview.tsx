import { Alert, Badge, Card, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import type { OutcomeMeasure } from '../../../shared/model';
import {
  MEASURES,
  type MeasureResult,
  changeFromBaseline,
  OUTCOME_DEFINITIONS,
  type ScoreChange,
  scoreMeasure,
} from '../../../shared/rules/measures';
import { formatDate } from '../../app/format';
import { measureTrend } from '../../db/measures-repository';
import { LEVEL_COLOR } from './levels';

/**
 * One questionnaire as given, read-only: total and band, alerts, findings (PCL-5 near-threshold
 * and DSM-5 cluster pattern, C-SSRS triage reasons), change since the patient's baseline, and every
 * question with the answer given (an alerting answer, PHQ-9 item 9, highlighted).
 *
 * Reusable wherever a measure is reviewed: `history` is the patient's other measures (for the
 * baseline); `completedBy` says who answered ("the patient, on the clinic tablet").
 */
export function MeasureReview(props: {
  measure: OutcomeMeasure;
  history: readonly OutcomeMeasure[];
  completedBy?: string;
}) {
  const { measure } = props;
  const def = MEASURES[measure.instrument];
  let result: MeasureResult | undefined;
  let problem: string | undefined;
  try {
    result = scoreMeasure(measure.instrument, measure.answers);
  } catch (e) {
    problem = (e as Error).message;
  }
  const points = measureTrend(props.history, measure.instrument);
  const here =
    result?.total != null
      ? { id: measure.id, at: measure.administeredAt, total: result.total }
      : undefined;
  const change = here && changeFromBaseline(measure.instrument, points, here);

  return (
    <Stack gap="md">
      {props.completedBy && <Text size="sm">Completed by {props.completedBy}.</Text>}
      {problem && (
        <Alert color="red" title="This questionnaire cannot be scored">
          {problem}
        </Alert>
      )}
      {result && (
        <Card withBorder padding="md" role="region" aria-label="Result">
          <Stack gap="xs">
            <Group gap="sm">
              {result.total !== null && (
                <Text fw={700} size="lg">
                  Total {result.total}
                  {def.scale ? ` of ${def.scale.max}` : ''}
                </Text>
              )}
              <Badge size="lg" variant="light" color={LEVEL_COLOR[result.band.level]} tt="none">
                {result.band.label}
              </Badge>
            </Group>
            {result.alerts.map((a) => (
              <Alert key={a.code} color="red" variant="filled" role="alert" p="xs">
                {a.message}
              </Alert>
            ))}
            {change && <ChangeLine change={change} instrument={measure.instrument} />}
            {result.subscales.length > 0 && (
              <Text size="sm">
                {result.subscales.map((s) => `${s.label} ${s.score} of ${s.max}`).join(' · ')}
              </Text>
            )}
          </Stack>
        </Card>
      )}
      {result && result.findings.length > 0 && (
        <Card withBorder padding="md" role="region" aria-label="Findings">
          <Title order={3} size="h5" mb={4}>
            Findings
          </Title>
          <List size="sm" spacing={4}>
            {result.findings.map((f) => (
              <List.Item key={f}>{f}</List.Item>
            ))}
          </List>
        </Card>
      )}
      <AnswersTable measure={measure} />
      <Text size="xs" c="dimmed">
        {def.source}
        {OUTCOME_DEFINITIONS[measure.instrument]
          ? ` ${OUTCOME_DEFINITIONS[measure.instrument]!.source}`
          : ''}
      </Text>
    </Stack>
  );
}

function ChangeLine({
  change,
  instrument,
}: {
  change: ScoreChange;
  instrument: OutcomeMeasure['instrument'];
}) {
  if (change.isBaseline)
    return (
      <Text size="sm">
        Baseline: the first {MEASURES[instrument].shortName} of this course.
        {change.remission ? ' Already in the remission range.' : ''}
      </Text>
    );
  const sign = change.change > 0 ? '+' : change.change < 0 ? '−' : '±';
  return (
    <Group gap="xs">
      <Text size="sm">
        Since baseline ({change.baseline.total} on {formatDate(change.baseline.at)}):{' '}
        <strong>
          {sign}
          {Math.abs(change.change)} points
          {change.percent !== null ? ` (${sign}${Math.abs(change.percent)} %)` : ''}
        </strong>
      </Text>
      {change.response && (
        <Badge color="teal" variant="light" tt="none">
          Response
        </Badge>
      )}
      {change.remission && (
        <Badge color="teal" variant="filled" tt="none">
          Remission
        </Badge>
      )}
      {change.meaningfulImprovement && (
        <Badge color="teal" variant="light" tt="none">
          Clinically meaningful improvement
        </Badge>
      )}
    </Group>
  );
}

function AnswersTable({ measure }: { measure: OutcomeMeasure }) {
  const def = MEASURES[measure.instrument];
  return (
    <Table aria-label="Answers" withTableBorder verticalSpacing="xs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={40}>#</Table.Th>
          <Table.Th>Question</Table.Th>
          <Table.Th w={260}>Answer</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {def.items.map((item, i) => {
          const value = measure.answers[i];
          const skipped =
            item.askedOnlyIf !== undefined &&
            measure.answers[item.askedOnlyIf.item - 1] !== item.askedOnlyIf.value;
          const label = item.options.find((o) => o.value === value)?.label ?? String(value);
          const flagged = item.critical === true && (value ?? 0) > 0;
          return (
            <Table.Tr
              key={item.number}
              bg={flagged ? 'red.0' : undefined}
              aria-label={flagged ? `Question ${item.number}, needs attention` : undefined}
              style={flagged ? { outline: '2px solid var(--mantine-color-red-9)' } : undefined}
            >
              <Table.Td>{item.number}</Table.Td>
              <Table.Td>
                <Text size="sm">{item.text}</Text>
                {flagged && (
                  <Text size="xs" fw={700} c="red.9">
                    Thoughts of death or self-harm: assess suicide risk
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {skipped ? (
                  <Text size="sm" c="dimmed">
                    Not asked (question {item.askedOnlyIf!.item} was No)
                  </Text>
                ) : (
                  <Text size="sm" fw={flagged ? 700 : 500}>
                    {label} ({value})
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
