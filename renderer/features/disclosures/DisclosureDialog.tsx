import { Alert, Button, Group, Modal, Radio, Select, Stack, Text, TextInput } from '@mantine/core';
import { useCallback, useRef, useState } from 'react';
import {
  type Disclosure,
  DisclosureInput,
  PURPOSES,
  type Purpose,
  RECIPIENTS,
  type Recipient,
  STAYS_IN_CLINIC,
  USUAL_PURPOSE,
} from '../../../shared/rules/disclosures';

type Question = { what: string; start?: Recipient };

/**
 * Asks who a printout or export is for before it leaves the app (issue 18 point 3; HIPAA
 * 164.528): `await ask({ what })` gives the answer, or nothing when the person cancels (then
 * nothing is printed or saved). Render `dialog` where the button is.
 */
export function useDisclosureQuestion() {
  const [question, setQuestion] = useState<Question>();
  const settle = useRef<(d: Disclosure | undefined) => void>(undefined);
  const ask = useCallback(
    (q: Question) =>
      new Promise<Disclosure | undefined>((resolve) => {
        settle.current?.(undefined);
        settle.current = resolve;
        setQuestion(q);
      }),
    [],
  );
  const done = (d: Disclosure | undefined) => {
    settle.current?.(d);
    settle.current = undefined;
    setQuestion(undefined);
  };
  const dialog = question ? (
    <DisclosureDialog key={question.what} question={question} onDone={done} />
  ) : null;
  return { ask, dialog };
}

function DisclosureDialog({
  question,
  onDone,
}: {
  question: Question;
  onDone: (d: Disclosure | undefined) => void;
}) {
  const start: Disclosure = question.start
    ? { ...STAYS_IN_CLINIC, to: question.start, purpose: USUAL_PURPOSE[question.start] }
    : STAYS_IN_CLINIC;
  const [answer, setAnswer] = useState<Disclosure>(start);
  const [errors, setErrors] = useState<Partial<Record<keyof Disclosure, string>>>({});
  const leaves = answer.to !== 'clinic';

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const parsed = DisclosureInput.safeParse(answer);
    if (!parsed.success) {
      const found: Partial<Record<keyof Disclosure, string>> = {};
      for (const issue of parsed.error.issues)
        found[issue.path[0] as keyof Disclosure] ??= issue.message;
      return setErrors(found);
    }
    onDone(parsed.data);
  };

  return (
    <Modal opened onClose={() => onDone(undefined)} title="Who is this for?" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">
            {question.what}. Copies that leave the clinic are listed in the patient’s accounting of
            disclosures, with the recipient and the purpose you give here.
          </Text>
          <Radio.Group
            label="It goes to"
            value={answer.to}
            onChange={(v) => {
              const to = v as Recipient;
              setAnswer((a) => ({ ...a, to, purpose: USUAL_PURPOSE[to] }));
              setErrors({});
            }}
          >
            <Stack gap={6} mt={6}>
              {(Object.keys(RECIPIENTS) as Recipient[]).map((r) => (
                <Radio key={r} value={r} label={RECIPIENTS[r]} />
              ))}
            </Stack>
          </Radio.Group>
          {leaves && (
            <>
              <TextInput
                label="Name of the person or organisation"
                description="With an address or case number if you have one"
                value={answer.name}
                onChange={(e) => {
                  const name = e.currentTarget.value;
                  setAnswer((a) => ({ ...a, name }));
                }}
                error={errors.name}
                maxLength={120}
              />
              <Select
                label="Purpose"
                data={(Object.keys(PURPOSES) as Purpose[]).map((p) => ({
                  value: p,
                  label: PURPOSES[p],
                }))}
                value={answer.purpose}
                onChange={(v) => v && setAnswer((a) => ({ ...a, purpose: v as Purpose }))}
                allowDeselect={false}
                error={errors.purpose}
              />
              <TextInput
                label="Note (optional)"
                description="What was asked for, or the request’s reference"
                value={answer.note}
                onChange={(e) => {
                  const note = e.currentTarget.value;
                  setAnswer((a) => ({ ...a, note }));
                }}
                error={errors.note}
                maxLength={300}
              />
            </>
          )}
          {Object.keys(errors).length > 0 && (
            <Alert color="red" role="alert" title="Not yet">
              Answer the questions marked above, then continue.
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => onDone(undefined)}>
              Cancel
            </Button>
            <Button type="submit">Continue</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
