import { Badge, Text } from '@mantine/core';
import { type Encounter, SETTING_LABELS, VISIT_LABELS } from '../../../shared/model';
import { isLateEntry, serviceEnd, serviceMinutes } from '../../../shared/rules/visits';
import { formatDateTime, formatTime } from '../../app/format';

/** "Dosing session · Dec 6, 2026, 14:00–16:00 (120 min) · In office · booked appointment". */
export function visitWords(visit: Encounter): string {
  const minutes = serviceMinutes(visit);
  const end = serviceEnd(visit);
  const when =
    end === visit.start
      ? formatDateTime(visit.start)
      : `${formatDateTime(visit.start)}–${formatTime(end)}${minutes ? ` (${minutes} min)` : ''}`;
  return [
    VISIT_LABELS[visit.visitKind],
    when,
    SETTING_LABELS[visit.setting],
    visit.appointmentId ? 'booked appointment' : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

export function VisitFacts({ visit }: { visit: Encounter }) {
  return <Text size="sm">{visitWords(visit)}</Text>;
}

/** Shown on documentation written after the day of service, with both times. */
export function LateEntryBadge(props: { visit?: Encounter | null; writtenAt: string }) {
  if (!props.visit || !isLateEntry(props.visit, props.writtenAt)) return null;
  return (
    <Badge color="orange" variant="light" tt="none">
      Late entry — service {formatDateTime(props.visit.start)}, written{' '}
      {formatDateTime(props.writtenAt)}
    </Badge>
  );
}
