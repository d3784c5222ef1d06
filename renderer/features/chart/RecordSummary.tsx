import { Anchor, Badge, Group, Text } from '@mantine/core';
import type { AnyRecord } from '../../../shared/model';
import { kindWords } from '../../../shared/rules/lifecycle';
import { formatDateTime } from '../../app/format';
import { RECORD_LINKS } from './record-links';

const STATUS = {
  draft: { color: 'yellow', label: 'Draft' },
  signed: { color: 'teal', label: 'Signed' },
  'entered-in-error': { color: 'red', label: 'Entered in error' },
} as const;

/** One line for a record on the timeline. Feature areas replace this with richer views. */
export function RecordSummary({ record }: { record: AnyRecord }) {
  const title = describe(record);
  const status = STATUS[record.status];
  return (
    <Group gap="xs" wrap="nowrap">
      {RECORD_LINKS[record.kind] ? (
        <Anchor
          href={`#${RECORD_LINKS[record.kind]!(record)}`}
          size="sm"
          fw={500}
          style={{ textTransform: 'capitalize' }}
        >
          {kindWords(record.kind)}
        </Anchor>
      ) : (
        <Text size="sm" fw={500} style={{ textTransform: 'capitalize' }}>
          {kindWords(record.kind)}
        </Text>
      )}
      <Text size="sm" c="dimmed" truncate>
        {title}
      </Text>
      {record.kind !== 'signed-consent' && (
        <Badge size="sm" variant="light" color={status.color}>
          {status.label}
        </Badge>
      )}
      {record.signature && (
        <Text size="xs" c="dimmed">
          {record.signature.byName}, {formatDateTime(record.signature.at)}
        </Text>
      )}
    </Group>
  );
}

function describe(r: AnyRecord): string {
  switch (r.kind) {
    case 'note':
      return r.title;
    case 'dose':
      return `${r.medication === 'esketamine-nasal' ? 'Esketamine' : 'Ketamine'} ${r.doseMg} mg ${r.route.replace(/-/g, ' ')}${r.setting === 'at-home' ? ' (at home)' : ''}`;
    case 'measure':
      return r.instrument
        .toUpperCase()
        .replace('PHQ9', 'PHQ-9')
        .replace('GAD7', 'GAD-7')
        .replace('PCL5', 'PCL-5');
    case 'eligibility':
      return r.decision ? r.decision.replace(/-/g, ' ') : 'decision pending';
    case 'integration-summary':
      return r.themes.join(', ');
    case 'addendum':
      return r.reason;
    case 'signed-consent':
      return r.title;
    default:
      return '';
  }
}
