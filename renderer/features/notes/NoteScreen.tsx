import { Badge, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import type {
  Addendum,
  CoSignature,
  DoseRecord,
  Encounter,
  SessionNote,
} from '../../../shared/model';
import { coSignatureState } from '../../../shared/rules/co-signature';
import { sessionClock } from '../../../shared/rules/visits';
import { useStore } from '../../app/app-state';
import { formatDateTime } from '../../app/format';
import { usePatientRecords, useRecord } from '../../app/use-records';
import { PatientBanner } from '../chart/PatientBanner';
import { LateEntryBadge, VisitFacts } from '../chart/VisitFacts';
import { useAuditedRead } from '../audit/use-audited-read';
import { NoteConflictBanner } from './NoteConflictBanner';
import { NoteEditor } from './NoteEditor';
import { NoteView } from './NoteView';
import { templateOf, useAllNoteTemplates } from './templates';

const STATUS = {
  draft: { color: 'yellow', label: 'Draft' },
  signed: { color: 'teal', label: 'Signed' },
  'entered-in-error': { color: 'red', label: 'Entered in error' },
} as const;

/** One note: its author edits the draft; everyone else, and everyone after signing, reads it. */
export function NoteScreen({ patientId, noteId }: { patientId: string; noteId: string }) {
  const store = useStore();
  const note = useRecord('note', noteId);
  useAuditedRead('note', noteId, patientId, !!note);
  const records = usePatientRecords(patientId);
  const templates = useAllNoteTemplates();
  const notes = useMemo(
    () => (records ?? []).filter((r): r is SessionNote => r.kind === 'note'),
    [records],
  );
  const addenda = useMemo(
    () =>
      (records ?? [])
        .filter((r) => r.kind === 'addendum' && r.targetId === noteId)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    [records, noteId],
  );

  const coSignature = useMemo(() => {
    if (!note) return { state: 'not-asked' as const };
    const of = <T,>(kind: string) => (records ?? []).filter((r) => r.kind === kind) as T[];
    return coSignatureState(note, of<CoSignature>('co-signature'), of<Addendum>('addendum'));
  }, [records, note]);

  const visit = useMemo(
    () =>
      (records ?? []).find(
        (r): r is Encounter => r.kind === 'encounter' && r.id === note?.encounterId,
      ),
    [records, note?.encounterId],
  );
  const clock = useMemo(
    () =>
      sessionClock({
        doses: (records ?? []).filter(
          (r): r is DoseRecord =>
            r.kind === 'dose' && !!note?.encounterId && r.encounterId === note.encounterId,
        ),
        visit,
        noteCreatedAt: note?.createdAt ?? new Date().toISOString(),
        now: new Date(),
      }),
    [records, visit, note?.encounterId, note?.createdAt],
  );

  if (note === undefined) return <Loader role="status" aria-label="Opening note" />;
  if (note === null) return <Text>That note could not be found.</Text>;
  const template = templateOf(templates, note.templateId, Object.keys(note.sections));
  const editable = note.status === 'draft' && note.createdBy === store.session.user.id;
  const status = STATUS[note.status];

  return (
    <Stack gap="md" maw={960}>
      <PatientBanner patientId={patientId} />
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={2}>{note.title || template.name}</Title>
          {visit && <VisitFacts visit={visit} />}
          <Text size="sm" c="dimmed">
            {template.name} · written {formatDateTime(note.createdAt)}
          </Text>
          <LateEntryBadge visit={visit} writtenAt={note.createdAt} />
        </Stack>
        <Badge size="lg" variant="light" color={status.color}>
          {status.label}
        </Badge>
      </Group>
      <NoteConflictBanner note={note} notes={notes} patientId={patientId} />
      {editable ? (
        <NoteEditor key={note.id} note={note} template={template} clock={clock} />
      ) : (
        <NoteView
          note={note}
          template={template}
          addenda={addenda as never}
          coSignature={coSignature}
        />
      )}
    </Stack>
  );
}
