import { Alert, Button, Card, Group, Radio, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { Instrument } from '../../../shared/model';
import {
  isSkipped,
  type PatientModeState,
  patientQuestionnaire,
  unanswered,
} from '../../../shared/rules/patient-mode';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { useValueDraft } from '../../app/use-value-draft';
import { savePatientMeasure } from '../../db/patient-mode-repository';
import { patientModeStorage } from './patient-mode-store';

type Answers = (number | null)[];

/**
 * One questionnaire in the patient's own wording, large answer buttons for a finger. Answers are
 * kept encrypted while given (reload, lock); "Done" stores them at once as a measure completed by
 * the patient, so a suicide-risk answer reaches staff without waiting for the device to come back.
 */
export function PatientQuestionnaireTask(props: {
  state: PatientModeState;
  instrument: Instrument;
}) {
  const store = useStore();
  const q = patientQuestionnaire(props.instrument);
  const [answers, setAnswers] = useState<Answers>(() => q.questions.map(() => null));
  const draft = useValueDraft(
    `patient-mode-measure:${props.state.patientId}:${props.instrument}`,
    answers,
    setAnswers,
    true,
    'this-computer',
  );
  const [missing, setMissing] = useState<number[]>([]);
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  const answer = (i: number, value: number) => {
    setAnswers((a) => a.map((x, j) => (j === i ? value : x)));
    setMissing((m) => m.filter((n) => n !== q.questions[i]!.number));
  };

  const done = async () => {
    const left = unanswered(q, answers);
    setMissing(left);
    if (left.length > 0) {
      setFailure(
        left.length === 1
          ? `Please answer question ${left[0]}.`
          : `Please answer questions ${left.join(', ')}.`,
      );
      return;
    }
    setFailure(undefined);
    setBusy(true);
    try {
      await savePatientMeasure(store, patientModeStorage, props.state, props.instrument, answers);
      await draft.clear();
      window.scrollTo(0, 0);
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={2}>{q.title}</Title>
        <Text size="xl">{q.instructions}</Text>
      </Stack>
      {q.questions.map((question, i) => {
        const skipped = isSkipped(question, answers);
        if (skipped) return null;
        const isMissing = missing.includes(question.number);
        return (
          <Card
            key={question.number}
            withBorder
            padding="lg"
            radius="md"
            style={isMissing ? { borderColor: 'var(--mantine-color-red-7)' } : undefined}
          >
            <Radio.Group
              label={
                <Text size="xl" fw={600} component="span">
                  {question.number}. {question.text}
                </Text>
              }
              error={isMissing ? 'Please choose an answer' : undefined}
              value={answers[i] === null ? null : String(answers[i])}
              onChange={(v) => answer(i, Number(v))}
            >
              <SimpleGrid cols={{ base: 1, sm: question.options.length }} spacing="sm" mt="md">
                {question.options.map((o) => (
                  <Radio.Card
                    key={o.value}
                    value={String(o.value)}
                    radius="md"
                    p="md"
                    aria-label={o.label}
                    style={{ minHeight: 64 }}
                  >
                    <Group wrap="nowrap" gap="sm">
                      <Radio.Indicator size="md" />
                      <Text size="lg">{o.label}</Text>
                    </Group>
                  </Radio.Card>
                ))}
              </SimpleGrid>
            </Radio.Group>
          </Card>
        );
      })}
      {failure && (
        <Alert color="red" role="alert">
          <Text size="lg">{failure}</Text>
        </Alert>
      )}
      <Group justify="flex-end">
        <Button size="xl" onClick={() => void done()} loading={busy}>
          Done
        </Button>
      </Group>
    </Stack>
  );
}
