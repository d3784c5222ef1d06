import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { type Appointment, VISIT_LABELS } from '../../../shared/model';
import { MEASURES } from '../../../shared/rules/measures';
import type { ConsentReminder, MeasureToReview, VisitNeed } from '../../../shared/rules/my-work';
import { formatDate, formatDateTime, formatTime } from '../../app/format';
import { useClinicSettings, usePatientIndex } from '../../app/use-records';
import type { MyDraft, PatientAlerts, TodayVisit } from '../../db/my-work-repository';
import { NewNoteDialog } from '../notes/NewNoteAction';
import { CoSignatureSection } from './CoSignatureSection';
import { useMyWork } from './use-my-work';
import { PlanRemindersSection } from '../treatment-plan/PlanReminders';

const NOWRAP = { whiteSpace: 'nowrap' } as const;

/**
 * Each clinician's home screen: today's visits and what each still needs, every draft of theirs
 * waiting to be signed (any age, oldest first), co-signatures asked of them, open suicide-risk
 * alerts on their patients, questionnaires patients answered awaiting review, their patients
 * whose planned dose or maintenance is due, and their patients' consents expiring within 30 days.
 */
export function MyWorkScreen() {
  const work = useMyWork();
  const settings = useClinicSettings();
  const [noteFor, setNoteFor] = useState<Appointment>();
  if (!work) return <Loader role="status" aria-label="Loading my work" />;

  return (
    <Stack gap="lg" maw={1100}>
      <Group justify="space-between" align="baseline">
        <Title order={2}>My work today</Title>
        <Text c="dimmed">{formatDate(new Date().toISOString())}</Text>
      </Group>

      {work.alerts.length > 0 && <AlertsSection alerts={work.alerts} />}

      <Stack gap="xs" component="section" aria-labelledby="today-title">
        <Title order={3} size="h4" id="today-title">
          Today’s visits
        </Title>
        {work.today.length === 0 ? (
          <Text size="sm">No visits booked with you today.</Text>
        ) : (
          <Table aria-label="Today’s visits" verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Time</Table.Th>
                <Table.Th>Patient</Table.Th>
                <Table.Th>Visit</Table.Th>
                <Table.Th>Still needed</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {work.today.map((v) => (
                <VisitRow key={v.appointment.id} visit={v} onStartNote={setNoteFor} />
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>

      {work.toReview.length > 0 && <ToReviewSection measures={work.toReview} />}

      {work.reminders.length > 0 && <PlanRemindersSection reminders={work.reminders} />}

      {work.expiring.length > 0 && <ExpiringSection reminders={work.expiring} />}

      <CoSignatureSection work={work.coSignature} />

      <DraftsSection drafts={work.drafts} overdueAfter={settings.unsignedNoteAlertDays} />

      {noteFor && (
        <NewNoteDialog
          patientId={noteFor.patientId}
          opened
          onClose={() => setNoteFor(undefined)}
          preset={{ appointment: noteFor }}
        />
      )}
    </Stack>
  );
}

function PatientLink({ patientId }: { patientId: string }) {
  const index = usePatientIndex();
  const name = index.get(patientId)?.displayName ?? 'Patient not on this computer';
  return (
    <Anchor href={`#/patients/${patientId}`} fw={500}>
      {name}
    </Anchor>
  );
}

function VisitRow(props: { visit: TodayVisit; onStartNote: (a: Appointment) => void }) {
  const { appointment: a, needs } = props.visit;
  return (
    <Table.Tr style={a.cancelled ? { textDecoration: 'line-through' } : undefined}>
      <Table.Td style={NOWRAP}>
        {formatTime(a.start)} · {a.durationMinutes} min
      </Table.Td>
      <Table.Td style={NOWRAP}>
        <PatientLink patientId={a.patientId} />
      </Table.Td>
      <Table.Td>
        {VISIT_LABELS[a.visitKind]}
        {a.cancelled ? ' (cancelled)' : ''}
      </Table.Td>
      <Table.Td>
        {a.cancelled ? (
          '—'
        ) : needs.length === 0 ? (
          <Badge color="teal" variant="light" tt="none">
            Nothing left to do
          </Badge>
        ) : (
          <Group gap={6}>
            {needs.map((n) => (
              <Need
                key={needKey(n)}
                need={n}
                appointment={a}
                onStartNote={() => props.onStartNote(a)}
              />
            ))}
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

const needKey = (n: VisitNeed) =>
  n.need === 'measure' ? `m:${n.instrument}` : n.need === 'dose' ? `d:${n.doseId}` : n.need;

const CONSENT_WORDS: Record<string, string> = {
  missing: 'missing',
  expired: 'expired',
  reconsent: 'needs re-consent',
  withdrawn: 'withdrawn',
};

function Need(props: { need: VisitNeed; appointment: Appointment; onStartNote: () => void }) {
  const { need: n, appointment: a } = props;
  const chart = `/patients/${a.patientId}`;
  switch (n.need) {
    case 'note':
      return n.state === 'to-write' ? (
        <Button size="compact-sm" onClick={props.onStartNote}>
          Start note
        </Button>
      ) : (
        <Button
          size="compact-sm"
          variant="light"
          component="a"
          href={`#${chart}/notes/${n.noteId}`}
        >
          Finish and sign the note
        </Button>
      );
    case 'measure':
      return (
        <Button
          size="compact-sm"
          variant="light"
          color="blue"
          component="a"
          href={`#${chart}/measures/new/${n.instrument}`}
        >
          {MEASURES[n.instrument as keyof typeof MEASURES]?.shortName ?? n.shortName} due
        </Button>
      );
    case 'consent':
      return (
        <Button
          size="compact-sm"
          variant="light"
          color="red"
          component="a"
          href={`#${chart}/consent`}
        >
          Consent {CONSENT_WORDS[n.state] ?? n.state}
        </Button>
      );
    case 'dose':
      return (
        <Button size="compact-sm" variant="light" component="a" href={`#/doses/${n.doseId}`}>
          Dose record to sign
        </Button>
      );
  }
}

function DraftsSection({ drafts, overdueAfter }: { drafts: MyDraft[]; overdueAfter: number }) {
  return (
    <Stack gap="xs" component="section" aria-labelledby="drafts-title">
      <Title order={3} size="h4" id="drafts-title">
        Unsigned drafts
      </Title>
      <Text size="sm" c="dimmed">
        Every draft of yours, oldest first. Drafts unsigned for {overdueAfter} day
        {overdueAfter === 1 ? '' : 's'} or more are overdue.
      </Text>
      {drafts.length === 0 ? (
        <Card withBorder padding="md">
          <Text fw={500}>No unsigned drafts.</Text>
        </Card>
      ) : (
        <Table striped aria-label="Unsigned drafts">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Draft</Table.Th>
              <Table.Th>Started</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {drafts.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td style={NOWRAP}>
                  <PatientLink patientId={d.patientId} />
                </Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Anchor href={`#${d.link}`}>{d.title}</Anchor>
                    {d.overdue && (
                      <Badge color="red" variant="light" tt="none">
                        Overdue — {d.ageDays} days
                      </Badge>
                    )}
                    {d.conflicted && (
                      <Badge color="orange" variant="light" tt="none">
                        Two versions — choose one
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td style={NOWRAP}>{formatDateTime(d.createdAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function AlertsSection({ alerts }: { alerts: PatientAlerts[] }) {
  return (
    <Alert
      color="red"
      variant="light"
      title="Open suicide-risk alerts on your patients"
      role="region"
      aria-label="Suicide-risk alerts on my patients"
    >
      <Stack gap={6}>
        {alerts.flatMap((p) =>
          p.alerts.map((a) => (
            <Group key={`${a.measureId}:${a.code}`} gap="xs" wrap="nowrap" align="baseline">
              <PatientLink patientId={p.patientId} />
              <Anchor href={`#/patients/${p.patientId}/measures/${a.measureId}`} size="sm">
                {MEASURES[a.instrument].shortName}, {formatDateTime(a.administeredAt)}
              </Anchor>
              <Text size="sm">{a.message}</Text>
            </Group>
          )),
        )}
      </Stack>
    </Alert>
  );
}

const daysWords = (n: number) => (n === 0 ? 'today' : n === 1 ? '1 day ago' : `${n} days ago`);

/** Questionnaires patients answered in patient mode, for a clinician to read and sign as reviewed. */
function ToReviewSection({ measures }: { measures: (MeasureToReview & { alert?: string })[] }) {
  return (
    <Stack gap="xs" component="section" aria-labelledby="to-review-title">
      <Title order={3} size="h4" id="to-review-title">
        Completed by patients, awaiting review
      </Title>
      <Text size="sm" c="dimmed">
        Questionnaires patients answered in patient mode, oldest first. Read each and sign it as
        reviewed.
      </Text>
      <Table striped aria-label="Completed by patients, awaiting review">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Patient</Table.Th>
            <Table.Th>Questionnaire</Table.Th>
            <Table.Th>Answered</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {measures.map((m) => (
            <Table.Tr key={m.id}>
              <Table.Td style={NOWRAP}>
                <PatientLink patientId={m.patientId} />
              </Table.Td>
              <Table.Td>
                <Group gap="xs">
                  <Anchor href={`#/patients/${m.patientId}/measures/${m.id}`}>
                    {MEASURES[m.instrument as keyof typeof MEASURES]?.shortName ?? m.instrument}
                  </Anchor>
                  {m.alert && (
                    <Badge color="red" variant="filled" tt="none" title={m.alert}>
                      Suicide-risk alert
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td style={NOWRAP}>
                {formatDateTime(m.administeredAt)} ({daysWords(m.ageDays)})
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** My patients' forms that expire within 30 days: sign them again before they lapse. */
function ExpiringSection({ reminders }: { reminders: ConsentReminder[] }) {
  return (
    <Stack gap="xs" component="section" aria-labelledby="expiring-title">
      <Title order={3} size="h4" id="expiring-title">
        Consents expiring within 30 days
      </Title>
      <Table striped aria-label="Consents expiring within 30 days">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Patient</Table.Th>
            <Table.Th>Form</Table.Th>
            <Table.Th>Needed for</Table.Th>
            <Table.Th>Expires</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {reminders.map((r) => (
            <Table.Tr key={`${r.patientId}:${r.templateKey}`}>
              <Table.Td style={NOWRAP}>
                <PatientLink patientId={r.patientId} />
              </Table.Td>
              <Table.Td>
                <Anchor href={`#/patients/${r.patientId}/consent`}>{r.title}</Anchor>
              </Table.Td>
              <Table.Td>{r.programs.join(', ')}</Table.Td>
              <Table.Td style={NOWRAP}>
                {formatDate(r.expiresAt)} (
                {r.daysLeft === 0 ? 'today' : `in ${r.daysLeft} day${r.daysLeft === 1 ? '' : 's'}`})
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
