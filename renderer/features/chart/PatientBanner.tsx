import { Anchor, Badge, Group, Loader, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { ageOn, patientDisplayName } from '../../../shared/model';
import type { ConsentState } from '../../../shared/rules/consent';
import { MEASURES } from '../../../shared/rules/measures';
import { formatCalendarDate, formatDate } from '../../app/format';
import { type PatientBannerData, usePatientBanner } from './use-patient-banner';

const CONSENT: Record<ConsentState, { label: string; color: string }> = {
  current: { label: 'Consent current', color: 'teal' },
  expiring: { label: 'Consent expiring soon', color: 'yellow' },
  reconsent: { label: 'Re-consent needed', color: 'orange' },
  expired: { label: 'Consent expired', color: 'red' },
  missing: { label: 'Consent missing', color: 'red' },
  withdrawn: { label: 'Consent withdrawn', color: 'grape' },
};

/**
 * Who this screen is about, on every patient screen (chart, note, dose, measure, summary, consent
 * signing) and sticky under the header while the screen scrolls, so nobody charts on the wrong
 * patient: full name, date of birth and age, chart number, allergies and flags, open suicide-risk
 * alerts, the current program and its consent status.
 *
 * Place it first on a screen: `<PatientBanner patientId={id} />`. On screens other than the chart
 * the name links back to the chart; `actions` renders at its right (keep it to one or two
 * buttons); `children` renders under it, inside the sticky area (a live session header).
 */
export function PatientBanner(props: {
  patientId: string;
  /** The chart itself: the name is a heading, not a link back to it. */
  isChart?: boolean;
  actions?: ReactNode;
  children?: ReactNode;
}) {
  const data = usePatientBanner(props.patientId);
  return (
    <Paper
      component="section"
      aria-label="Patient"
      withBorder
      shadow="xs"
      px="md"
      py="sm"
      style={{
        position: 'sticky',
        top: 'var(--app-shell-header-offset, 0px)',
        zIndex: 20,
      }}
    >
      {data === undefined ? (
        <Loader size="sm" role="status" aria-label="Loading the patient" />
      ) : data === null ? (
        <Text>That patient could not be found.</Text>
      ) : (
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <BannerFacts data={data} patientId={props.patientId} isChart={props.isChart} />
          {props.actions && (
            <Group gap="xs" wrap="nowrap">
              {props.actions}
            </Group>
          )}
        </Group>
      )}
      {props.children}
    </Paper>
  );
}

function BannerFacts(props: { data: PatientBannerData; patientId: string; isChart?: boolean }) {
  const { patient, program, alerts } = props.data;
  const name = patientDisplayName(patient);
  const facts = [
    `Born ${formatCalendarDate(patient.dateOfBirth)}`,
    `${ageOn(patient.dateOfBirth, new Date())} years`,
    patient.chartNumber ? `Chart ${patient.chartNumber}` : 'No chart number',
    patient.pronouns,
  ].filter(Boolean);
  return (
    <Stack gap={6}>
      <Group gap="sm" align="baseline" wrap="wrap">
        <Title order={2} size="h3">
          {props.isChart ? (
            name
          ) : (
            <Anchor href={`#/patients/${props.patientId}`} inherit>
              {name}
            </Anchor>
          )}
        </Title>
        <Text size="sm">{facts.join(' · ')}</Text>
      </Group>
      <Group gap={6} wrap="wrap">
        {patient.allergies ? (
          <Badge color="red" variant="light" tt="none" size="lg">
            Allergies: {patient.allergies}
          </Badge>
        ) : (
          <Badge color="gray" variant="outline" tt="none" size="lg">
            Allergies not recorded
          </Badge>
        )}
        {patient.flags && (
          <Badge color="orange" variant="light" tt="none" size="lg">
            Flags: {patient.flags}
          </Badge>
        )}
        {alerts?.map((a) => (
          <Tooltip key={`${a.measureId}:${a.code}`} label={a.message} multiline w={360}>
            <Badge
              component="a"
              href={`#/patients/${props.patientId}/measures/${a.measureId}`}
              color={a.severity === 'critical' ? 'red' : 'orange'}
              variant="filled"
              tt="none"
              size="lg"
              style={{ cursor: 'pointer' }}
            >
              Suicide risk — {MEASURES[a.instrument].shortName}, {formatDate(a.administeredAt)}
            </Badge>
          </Tooltip>
        ))}
        {program ? (
          <>
            <Badge color="blue" variant="light" tt="none" size="lg">
              {program.name}
            </Badge>
            <Badge color={CONSENT[program.consent].color} variant="light" tt="none" size="lg">
              {CONSENT[program.consent].label}
            </Badge>
          </>
        ) : (
          <Badge color="gray" variant="outline" tt="none" size="lg">
            No program yet
          </Badge>
        )}
      </Group>
    </Stack>
  );
}
