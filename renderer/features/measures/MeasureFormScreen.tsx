import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Radio,
  SegmentedControl,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useLocation } from 'wouter';
import { INSTRUMENTS, type Instrument } from '../../../shared/model';
import { MEASURES, type MeasureResult, scoreMeasure } from '../../../shared/rules/measures';
import { ConfirmPassphraseDialog } from '../../app/ConfirmPassphraseDialog';
import { useStore } from '../../app/app-state';
import { formatDateTime } from '../../app/format';
import { useFormDraft } from '../../app/use-form-draft';
import { answersWithSkips, recordMeasure } from '../../db/measures-repository';
import { PatientBanner } from '../chart/PatientBanner';
import { LEVEL_COLOR } from './levels';

type Answers = (number | null)[];
/** `kept`: answers given to the other questionnaires, so switching between them loses none. */
type Values = {
  instrument: Instrument;
  answers: Answers;
  kept?: Partial<Record<Instrument, Answers>>;
};
const blank = (i: Instrument): Answers => MEASURES[i].items.map(() => null);

/** One questionnaire with its published wording; the score is computed as answers are given. */
export function MeasureFormScreen(props: { patientId: string; instrument?: string }) {
  const store = useStore();
  const [, navigate] = useLocation();
  const first = INSTRUMENTS.find((i) => i === props.instrument) ?? 'phq9';
  // Answers in progress are kept encrypted (useFormDraft) so a reload or auto-lock loses none.
  const form = useForm<Values>({ defaultValues: { instrument: first, answers: blank(first) } });
  const draft = useFormDraft(`measure-new:${props.patientId}`, form);
  const instrument = form.watch('instrument');
  const answers = form.watch('answers');
  const setAnswers = (edit: (a: Answers) => Answers) =>
    form.setValue('answers', edit(form.getValues('answers')), { shouldDirty: true });
  const [signing, setSigning] = useState(false);
  const def = MEASURES[instrument];
  const effective = useMemo(() => answersWithSkips(instrument, answers), [instrument, answers]);
  const answered = effective.filter((a) => a !== null).length;
  const result = useMemo<MeasureResult | undefined>(() => {
    if (answered < def.items.length) return undefined;
    try {
      return scoreMeasure(instrument, effective as number[]);
    } catch {
      return undefined;
    }
  }, [answered, def, instrument, effective]);

  /** Shows questionnaire `i`, keeping what was given to the others (kept in the draft too). */
  const show = (i: Instrument, kept: Values['kept'] = {}) => {
    const answers = kept[i] ?? blank(i);
    const rest = { ...kept };
    delete rest[i];
    form.setValue('kept', rest, { shouldDirty: true });
    form.setValue('instrument', i, { shouldDirty: true });
    form.setValue('answers', answers, { shouldDirty: true });
  };
  const choose = (i: Instrument) => {
    const { instrument: was, answers: given, kept } = form.getValues();
    if (i !== was) show(i, { ...kept, [was]: given });
  };
  const cancel = async () => {
    await draft.clear();
    navigate(chart);
  };
  const chart = `/patients/${props.patientId}`;

  return (
    <Stack gap="md" maw={960} pb={120}>
      <PatientBanner patientId={props.patientId} />
      <Title order={2}>Record measure</Title>
      {draft.restoredAt && answers.some((a) => a !== null) && (
        <Alert color="blue" title="Answers restored">
          The answers given on {formatDateTime(draft.restoredAt)} were kept. Review them and sign,
          or cancel to discard them.
        </Alert>
      )}
      <div role="radiogroup" aria-label="Instrument">
        <SegmentedControl
          value={instrument}
          onChange={(v) => choose(v as Instrument)}
          data={INSTRUMENTS.map((i) => ({ value: i, label: MEASURES[i].shortName }))}
        />
      </div>
      <Card withBorder padding="lg">
        <Stack gap="lg">
          <Stack gap={2}>
            <Title order={3} size="h4">
              {def.name}
            </Title>
            <Text size="sm">{def.instructions}</Text>
          </Stack>
          {def.items.map((item, i) => {
            const skipped =
              item.askedOnlyIf !== undefined &&
              answers[item.askedOnlyIf.item - 1] !== item.askedOnlyIf.value;
            return (
              <Radio.Group
                key={`${instrument}-${item.number}`}
                label={`${item.number}. ${item.text}`}
                description={skipped ? 'Not asked: question 2 was answered No.' : item.note}
                value={answers[i] === null || skipped ? null : String(answers[i])}
                onChange={(v) => setAnswers((a) => a.map((x, j) => (j === i ? Number(v) : x)))}
              >
                <Group gap="lg" mt={6}>
                  {item.options.map((o) => (
                    <Radio
                      key={o.value}
                      value={String(o.value)}
                      label={o.label}
                      disabled={skipped}
                    />
                  ))}
                </Group>
              </Radio.Group>
            );
          })}
          <Text size="xs" c="dimmed">
            {def.source}
          </Text>
        </Stack>
      </Card>

      <Card
        withBorder
        padding="md"
        shadow="md"
        style={{ position: 'sticky', bottom: 16, zIndex: 5 }}
        role="region"
        aria-label="Score"
      >
        <Group justify="space-between" wrap="nowrap">
          <Stack gap={4}>
            {result ? (
              <Group gap="sm">
                {result.total !== null && (
                  <Text fw={700} size="lg">
                    Total {result.total}
                    {def.scale ? ` of ${def.scale.max}` : ''}
                  </Text>
                )}
                <Badge size="lg" variant="light" color={LEVEL_COLOR[result.band.level]}>
                  {result.band.label}
                </Badge>
              </Group>
            ) : (
              <Text fw={600}>
                Answered {answered} of {def.items.length}
              </Text>
            )}
            {result?.alerts.map((a) => (
              <Alert key={a.code} color="red" role="alert" p="xs">
                {a.message}
              </Alert>
            ))}
          </Stack>
          <Group gap="xs" wrap="nowrap">
            <Button variant="default" onClick={() => void cancel()}>
              Cancel
            </Button>
            <Button disabled={!result} onClick={() => setSigning(true)}>
              Sign and save
            </Button>
          </Group>
        </Group>
      </Card>

      <ConfirmPassphraseDialog
        opened={signing}
        title={`Sign the ${def.shortName}`}
        explanation="The answers are stored signed with your name and the time; a measure cannot be edited afterwards."
        confirmLabel="Sign and save"
        onClose={() => setSigning(false)}
        onConfirmed={async () => {
          await recordMeasure(store, {
            patientId: props.patientId,
            instrument,
            answers,
          });
          // Answers begun on another questionnaire stay in progress for next time.
          const started = Object.entries(form.getValues('kept') ?? {}).filter(([, a]) =>
            a?.some((x) => x !== null),
          );
          if (started.length) show(started[0]![0] as Instrument, Object.fromEntries(started));
          else await draft.clear();
          navigate(chart);
        }}
      />
    </Stack>
  );
}
