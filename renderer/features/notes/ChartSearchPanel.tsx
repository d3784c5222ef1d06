import { Anchor, Badge, Card, Group, Mark, Stack, Text, TextInput } from '@mantine/core';
import { useDeferredValue, useMemo, useState } from 'react';
import type { Addendum, IntegrationSummary, SessionNote } from '../../../shared/model';
import { type ChartSearchHit, type Snippet, searchChart } from '../../../shared/rules/chart-search';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';
import { formatDateTime, formatTime } from '../../app/format';
import { usePatientRecords } from '../../app/use-records';
import { useAllNoteTemplates } from './templates';

/**
 * Search within this chart: notes, addenda and integration summaries, decrypted in memory only
 * (no plaintext index on disk, ARCHITECTURE.md "Keys never leave in the clear").
 */
export function ChartSearchPanel({ patientId }: { patientId: string }) {
  const store = useStore();
  const records = usePatientRecords(patientId);
  const templates = useAllNoteTemplates();
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query);
  const hits = useMemo(() => {
    if (!records || deferred.trim() === '') return [];
    const chart = {
      notes: records.filter((r): r is SessionNote => r.kind === 'note'),
      addenda: records.filter((r): r is Addendum => r.kind === 'addendum'),
      summaries: records.filter((r): r is IntegrationSummary => r.kind === 'integration-summary'),
    };
    return searchChart(chart, deferred, {
      limit: 20,
      sectionLabel: (templateId, key) =>
        templates.find((t) => t.templateKey === templateId)?.sections.find((s) => s.key === key)
          ?.label,
    });
  }, [records, deferred, templates]);
  if (!can(store.roles, 'read', 'note')) return null;

  return (
    <Card withBorder padding="md" role="search" aria-label="Chart search">
      <Stack gap="sm">
        <TextInput
          type="search"
          label="Search this chart"
          placeholder="Notes, addenda and integration summaries"
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
        />
        {deferred.trim() !== '' && (
          <Stack gap="xs" role="list" aria-label="Search results">
            {hits.length === 0 ? (
              <Text size="sm">Nothing in this chart matches “{deferred.trim()}”.</Text>
            ) : (
              hits.map((hit) => <Hit key={hit.recordId} hit={hit} patientId={patientId} />)
            )}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

function Hit({ hit, patientId }: { hit: ChartSearchHit; patientId: string }) {
  const target =
    hit.kind === 'integration-summary'
      ? `/patients/${patientId}/integration/${hit.recordId}`
      : `/patients/${patientId}/notes/${hit.kind === 'addendum' ? hit.targetId : hit.recordId}`;
  return (
    <Stack gap={2} role="listitem">
      <Group gap="xs">
        <Anchor href={`#${target}`} size="sm" fw={600}>
          {hit.title}
        </Anchor>
        <Text size="xs" c="dimmed">
          {formatDateTime(hit.date)} · {hit.snippet.fieldLabel}
          {hit.snippet.at ? ` at ${formatTime(hit.snippet.at)}` : ''}
        </Text>
        {hit.status === 'entered-in-error' && (
          <Badge size="xs" color="red" variant="light">
            Entered in error
          </Badge>
        )}
      </Group>
      <Text size="sm">
        <Highlighted snippet={hit.snippet} />
      </Text>
    </Stack>
  );
}

function Highlighted({ snippet }: { snippet: Snippet }) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  snippet.highlights.forEach((h, i) => {
    if (h.start > at) parts.push(snippet.text.slice(at, h.start));
    parts.push(<Mark key={i}>{snippet.text.slice(h.start, h.end)}</Mark>);
    at = h.end;
  });
  parts.push(snippet.text.slice(at));
  return <>{parts}</>;
}
