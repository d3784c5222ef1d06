import { Anchor, Badge, Group, Text } from '@mantine/core';
import type { AnyRecord, Encounter, OutcomeMeasure } from '../../../shared/model';
import { MEASURES, scoreMeasure } from '../../../shared/rules/measures';
import { kindWords } from '../../../shared/rules/lifecycle';
import { useChartContributions } from '../../app/contributions';
import { formatDateTime } from '../../app/format';
import { LateEntryBadge } from './VisitFacts';

const STATUS = {
  draft: { color: 'yellow', label: 'Draft' },
  signed: { color: 'teal', label: 'Signed' },
  'entered-in-error': { color: 'red', label: 'Entered in error' },
} as const;

/**
 * One line for a record on the timeline. Its link is named by what it is ("Note: Dosing session",
 * "Dose record: Ketamine 35 mg IV infusion"), so a list of links reads on its own.
 */
export function RecordSummary({ record, visit }: { record: AnyRecord; visit?: Encounter }) {
  const { links } = useChartContributions();
  const title = describe(record);
  const name = `${capitalise(kindWords(record.kind))}${title ? `: ${title}` : ''}`;
  const status =
    record.kind === 'measure' && record.completedBy === 'patient'
      ? record.status === 'draft'
        ? { color: 'yellow', label: 'Completed by the patient, awaiting review' }
        : record.status === 'signed'
          ? { color: 'teal', label: 'Completed by the patient, reviewed' }
          : STATUS[record.status]
      : STATUS[record.status];
  const link = links[record.kind];
  return (
    <Group gap="xs" wrap="nowrap">
      {link ? (
        <Anchor href={`#${link(record)}`} size="sm" fw={500} truncate>
          {name}
        </Anchor>
      ) : (
        <Text size="sm" fw={500} truncate>
          {name}
        </Text>
      )}
      {record.kind !== 'signed-consent' && (
        <Badge
          size="sm"
          variant="light"
          color={status.color}
          tt={status.label.length > 20 ? 'none' : undefined}
        >
          {status.label}
        </Badge>
      )}
      {record.signature && (
        <Text size="xs" c="dimmed">
          {record.signature.byName}, {formatDateTime(record.signature.at)}
        </Text>
      )}
      {(record.kind === 'note' || record.kind === 'integration-summary') && (
        <LateEntryBadge visit={visit} writtenAt={record.createdAt} />
      )}
    </Group>
  );
}

/** "PHQ-9 12 · Mild", "C-SSRS screener · Low risk": what a clinician looks for on the course. */
function measureLine(m: OutcomeMeasure): string {
  const def = MEASURES[m.instrument];
  try {
    const r = scoreMeasure(m.instrument, m.answers);
    return `${def.shortName}${r.total !== null ? ` ${r.total}` : ''} · ${r.band.label}`;
  } catch {
    return def.shortName;
  }
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function describe(r: AnyRecord): string {
  switch (r.kind) {
    case 'note':
      return r.title;
    case 'dose':
      return `${r.medication === 'esketamine-nasal' ? 'Esketamine' : 'Ketamine'} ${r.doseMg} mg ${r.route.replace(/-/g, ' ')}${r.setting === 'at-home' ? ' (at home)' : ''}`;
    case 'measure':
      return measureLine(r);
    case 'eligibility':
      return r.decision ? r.decision.replace(/-/g, ' ') : 'decision pending';
    case 'integration-summary':
      return r.themes.join(', ');
    case 'addendum':
      return r.reason;
    case 'signed-consent':
      return r.title;
    case 'treatment-plan':
      return `${r.plannedDoses} dosing sessions${r.revises ? ' (revised)' : ''}`;
    default:
      return '';
  }
}
