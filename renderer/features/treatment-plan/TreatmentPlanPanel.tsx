/**
 * The treatment plan at the top of a clinician's course (issue 16 points 5 and 9): where the
 * patient is in the course ("Dose 2 of 6"), when the next dose or maintenance session is due and
 * whether it is overdue, the plan's terms and goals, and writing or revising it.
 */
import { Anchor, Badge, Button, Card, Group, Progress, Stack, Text, Title } from '@mantine/core';
import { useLocation } from 'wouter';
import { FREQUENCY_LABELS, type TreatmentPlan } from '../../../shared/model';
import { can } from '../../../shared/rules/permissions';
import {
  type CourseProgress,
  type NextSession,
  progressLabel,
} from '../../../shared/rules/treatment-plan';
import { useStore } from '../../app/app-state';
import { formatCalendarDate, formatDateTime } from '../../app/format';
import type { ChartSectionProps } from '../chart/chart-sections';
import { ROUTE_LABELS } from '../dosing/dose-form';
import { type ShownPlan, usePatientPlan } from './use-treatment-plan';

export function TreatmentPlanPanel({ patientId }: ChartSectionProps) {
  const store = useStore();
  const [, navigate] = useLocation();
  const shown = usePatientPlan(patientId);
  if (!store.canRead('treatment-plan') || shown === undefined) return null;
  const mayWrite = can(store.roles, 'sign', 'treatment-plan');
  const edit = () => navigate(`/patients/${patientId}/treatment-plan`);

  return (
    <Card withBorder component="section" aria-labelledby="plan-title">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4" id="plan-title">
          Treatment plan
        </Title>
        {mayWrite && (
          <Button size="compact-sm" variant={shown ? 'default' : 'filled'} onClick={edit}>
            {shown ? 'Revise plan' : 'Write a treatment plan'}
          </Button>
        )}
      </Group>
      {shown === null ? (
        <Text size="sm" c="dimmed">
          No treatment plan yet: the number of dosing sessions, how often, and the goals.
        </Text>
      ) : (
        <PlanSummary shown={shown} patientId={patientId} />
      )}
    </Card>
  );
}

function PlanSummary({ shown, patientId }: { shown: ShownPlan; patientId: string }) {
  const { plan, progress, versions } = shown;
  return (
    <Stack gap="xs">
      {progress && <ProgressLine progress={progress} />}
      <Text size="sm">{planTerms(plan, shown.programName)}</Text>
      {plan.goals && (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} lineClamp={4}>
          <Text span fw={600}>
            Goals:{' '}
          </Text>
          {plan.goals}
        </Text>
      )}
      <Group gap="xs">
        <Text size="xs" c="dimmed">
          Signed by {plan.signature?.byName}, {formatDateTime(plan.signature?.at ?? plan.writtenAt)}
          {versions.length > 1 ? ` · version ${versions.length - versions.indexOf(plan)}` : ''}
        </Text>
        <Anchor size="xs" href={`#/patients/${patientId}/treatment-plans/${plan.id}`}>
          Open the plan{versions.length > 1 ? ' and earlier versions' : ''}
        </Anchor>
      </Group>
    </Stack>
  );
}

/** "In-office IV ketamine · IV infusion · 6 sessions, twice a week, integration after each …" */
export function planTerms(plan: TreatmentPlan, programName: string): string {
  return [
    programName,
    ROUTE_LABELS[plan.route],
    `${plan.plannedDoses} dosing sessions, ${FREQUENCY_LABELS[plan.frequency].toLowerCase()}`,
    plan.integrationAfterEach ? 'integration after each' : 'no integration planned after each',
    plan.maintenanceIntervalWeeks
      ? `maintenance every ${plan.maintenanceIntervalWeeks} week${plan.maintenanceIntervalWeeks === 1 ? '' : 's'}`
      : 'maintenance not yet planned',
    `from ${formatCalendarDate(plan.startsOn)}`,
  ].join(' · ');
}

function ProgressLine({ progress: p }: { progress: CourseProgress }) {
  return (
    <Stack gap={6}>
      <Group gap="sm" align="baseline">
        <Text fw={700} size="lg">
          {progressLabel(p)}
        </Text>
        {p.maintenanceGiven > 0 && (
          <Text size="sm" c="dimmed">
            {p.maintenanceGiven} maintenance session{p.maintenanceGiven === 1 ? '' : 's'} since
          </Text>
        )}
        {p.next && <NextDue next={p.next} total={p.planned} />}
        {p.phase === 'not-started' && (
          <Text size="sm" c="dimmed">
            Book the first dosing session.
          </Text>
        )}
        {p.phase === 'maintenance' && !p.next && (
          <Text size="sm" c="dimmed">
            Course completed {formatCalendarDate(p.completedOn!)}; no maintenance interval planned.
          </Text>
        )}
      </Group>
      <Progress
        value={(p.given / p.planned) * 100}
        size="sm"
        color="teal"
        aria-label={`Dosing sessions given: ${p.given} of ${p.planned}`}
      />
      {p.integrationPending && (
        <Badge color="blue" variant="light" tt="none">
          Integration after the last dosing session ({formatCalendarDate(p.lastDoseOn!)}) not yet
          charted
        </Badge>
      )}
    </Stack>
  );
}

/** "Next dose (3 of 6) due Dec 7, 2026", with Due today / Overdue by 2 days. */
export function NextDue({ next, total }: { next: NextSession; total?: number }) {
  const what =
    next.what === 'maintenance'
      ? 'Maintenance session'
      : `Next dose${next.number ? ` (${next.number}${total ? ` of ${total}` : ''})` : ''}`;
  return (
    <Group gap={6}>
      <Text size="sm">
        {what} due {formatCalendarDate(next.due)}
      </Text>
      {next.state === 'due' && (
        <Badge color="yellow" variant="light" tt="none">
          Due today
        </Badge>
      )}
      {next.state === 'overdue' && (
        <Badge color="red" variant="light" tt="none">
          Overdue by {next.daysLate} day{next.daysLate === 1 ? '' : 's'}
        </Badge>
      )}
    </Group>
  );
}
