/**
 * The scaffold every controlled-substance log dialog shares: a form in a modal, the repository's
 * refusal shown in its own words (nothing typed is cleared), Cancel and the action. `useFields`
 * binds the inputs so each dialog lists only its fields.
 */
import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../../app/format';
import { num } from '../dosing/dose-form';

export type DialogProps = { opened: boolean; onClose: () => void };

export function DialogForm(
  props: DialogProps & {
    title: string;
    submitLabel: string;
    /** Save; throwing shows the message and keeps the dialog open with what was typed. */
    onSubmit: () => Promise<void>;
    size?: string;
    children: ReactNode;
    /** Rendered after the form inside the modal (a passphrase confirmation). */
    after?: ReactNode;
  },
) {
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    setBusy(true);
    try {
      await props.onSubmit();
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={props.title}
      size={props.size}
      closeButtonProps={{ 'aria-label': 'Close' }}
      centered
    >
      <form onSubmit={submit}>
        <Stack gap="sm">
          {props.children}
          {failure && (
            <Alert color="red" role="alert">
              {failure}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              {props.submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
      {props.after}
    </Modal>
  );
}

type KeysOf<T, V> = { [K in keyof T]: T[K] extends V ? K : never }[keyof T];

/** Form state plus binders for text, number and select inputs. */
export function useFields<T extends object>(initial: T) {
  const [f, setF] = useState(initial);
  const set = (p: Partial<T>) => setF((prev) => ({ ...prev, ...p }));
  return {
    f,
    set,
    text: (k: KeysOf<T, string>) => ({
      value: f[k] as string,
      onChange: (e: React.ChangeEvent<HTMLInputElement>) =>
        set({ [k]: e.currentTarget.value } as Partial<T>),
    }),
    number: (k: KeysOf<T, number | undefined>) => ({
      value: (f[k] as number | undefined) ?? '',
      onChange: (v: string | number) => set({ [k]: num(v) } as Partial<T>),
    }),
    select: (k: KeysOf<T, string | null>) => ({
      value: f[k] as string | null,
      onChange: (v: string | null) => set({ [k]: v } as Partial<T>),
    }),
  };
}
