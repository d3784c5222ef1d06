import { ActionIcon, Button, Card, Group, Kbd, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { TimedEntry } from '../../../shared/model';
import type { SessionClock } from '../../../shared/rules/visits';
import { formatTime } from '../../app/format';
import { KeptDraftNotice } from '../../app/KeptDraftNotice';
import { useValueDraft } from '../../app/use-value-draft';
import { timedEntry } from '../../db/notes-repository';

type Props = {
  noteId: string;
  /** What the session timer counts from (shared/rules/visits sessionClock). */
  clock: SessionClock;
  entries: TimedEntry[];
  quickTags: string[];
  onChange: (entries: TimedEntry[]) => void;
  onBlur: () => void;
};

/**
 * Charting while the patient is in session: a running timer, Enter adds a line stamped with the
 * minute, Alt+1…9 (or a click) adds a quick-tag line, and every line stays editable while draft.
 */
export function LiveCharting({ noteId, clock, entries, quickTags, onChange, onBlur }: Props) {
  const [text, setText] = useState('');
  // The line typed but not yet entered is kept too (encrypted, offered back after reload or lock).
  const pending = useValueDraft(`live-line:${noteId}`, text, setText);

  const add = (line: string, tags: string[] = []) => {
    if (line.trim() === '') return;
    onChange([...entries, timedEntry(line.trim(), new Date(), tags)]);
  };
  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      add(text);
      setText('');
      void pending.clear('');
    } else if (e.altKey && /^[1-9]$/.test(e.key)) {
      const tag = quickTags[Number(e.key) - 1];
      if (tag) {
        e.preventDefault();
        add(tag, [tag]);
      }
    }
  };
  const edit = (id: string, value: string) =>
    onChange(entries.map((x) => (x.id === id ? { ...x, text: value } : x)));
  const remove = (id: string) => onChange(entries.filter((x) => x.id !== id));

  return (
    <Card withBorder padding="lg">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            Live charting
          </Title>
          <SessionTimer clock={clock} />
        </Group>
        {pending.restoredAt && text !== '' && (
          <KeptDraftNotice at={pending.restoredAt} then="press Enter to add it" />
        )}
        {entries.length > 0 && (
          <Stack gap={6} component="ol" aria-label="Charted lines" m={0} p={0}>
            {entries.map((entry) => (
              <Group
                key={entry.id}
                component="li"
                gap="sm"
                wrap="nowrap"
                style={{ listStyle: 'none' }}
              >
                <Text size="sm" fw={600} w={72} ff="monospace">
                  {formatTime(entry.at)}
                </Text>
                <TextInput
                  flex={1}
                  size="sm"
                  aria-label={`Line at ${formatTime(entry.at)}`}
                  value={entry.text}
                  onChange={(e) => edit(entry.id, e.currentTarget.value)}
                  onBlur={onBlur}
                />
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={`Remove line at ${formatTime(entry.at)}`}
                  onClick={() => remove(entry.id)}
                >
                  ×
                </ActionIcon>
              </Group>
            ))}
          </Stack>
        )}
        <TextInput
          label="Observation"
          description={
            <>
              Press <Kbd size="xs">Enter</Kbd> to add it with the current time
            </>
          }
          placeholder="e.g. tearful, reports warmth in chest"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          onBlur={onBlur}
          data-autofocus
        />
        {quickTags.length > 0 && (
          <Group gap={6} role="group" aria-label="Quick tags">
            {quickTags.map((tag, i) => (
              <Button
                key={tag}
                size="compact-sm"
                variant="light"
                onClick={() => add(tag, [tag])}
                aria-keyshortcuts={i < 9 ? `Alt+${i + 1}` : undefined}
                title={i < 9 ? `Alt+${i + 1}` : undefined}
              >
                {tag}
              </Button>
            ))}
          </Group>
        )}
      </Stack>
    </Card>
  );
}

const SINCE: Record<SessionClock['from'], string> = {
  dose: 'since the dose',
  visit: 'since the visit started',
  note: 'since the note was started',
};

function SessionTimer({ clock }: { clock: SessionClock }) {
  const since = clock.since;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, []);
  const s = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60]
    .map((n, i) => (i === 0 ? String(n) : String(n).padStart(2, '0')))
    .join(':');
  return (
    <Group gap={6} align="baseline">
      <Text fw={600} size="lg" ff="monospace" role="timer" aria-label={`Session time ${hms}`}>
        {hms}
      </Text>
      <Text size="sm" c="dimmed">
        {SINCE[clock.from]}
      </Text>
    </Group>
  );
}
