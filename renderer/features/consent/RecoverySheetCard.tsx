import { Alert, Button, Card, Code, Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useStore } from '../../app/app-state';
import { errorMessage, formatDateTime } from '../../app/format';
import { useClinicSettings } from '../../app/use-records';
import {
  createRecoveryKey,
  markRecoveryPrinted,
  readKeyStatus,
  type KeyStatus,
} from '../../sync/recovery';
import { announceKeysChanged } from '../sync/key-events';
import { loadPdfFonts } from './pdf-fonts';
import { deliverPdf, letterhead, type PdfOutput } from './print-packets';

/**
 * The clinic recovery key: an administrator creates it, it is shown once, and its sheet is printed
 * or saved then. The key is kept nowhere, so a lost sheet means creating a new key (which retires
 * the old sheet).
 */
export function RecoverySheetCard() {
  const store = useStore();
  const settings = useClinicSettings();
  const isAdmin = store.roles.includes('administrator');
  const [status, setStatus] = useState<KeyStatus['recovery'] | null>();
  const [key, setKey] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState<PdfOutput | 'create'>();

  useEffect(() => {
    void readKeyStatus(store).then((s) => setStatus(s.recovery ?? null));
  }, [store, key]);

  const create = async () => {
    setBusy('create');
    setMessage(undefined);
    try {
      setKey(await createRecoveryKey(store));
      setConfirming(false);
      announceKeysChanged();
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    } finally {
      setBusy(undefined);
    }
  };

  const print = async (output: PdfOutput) => {
    if (!key) return;
    setBusy(output);
    setMessage(undefined);
    try {
      // PDF building (pdf-lib, fontkit) loads on first print (issue 20).
      const { buildRecoverySheetPdf } = await import('./recovery-sheet');
      const bytes = await buildRecoverySheetPdf({
        clinic: letterhead(settings),
        clinicId: store.session.clinicId,
        key: { words: key, keyVersion: store.session.keyring?.activeVersion ?? 1 },
        printedBy: store.session.user.displayName,
        fonts: await loadPdfFonts(),
        generatedAt: new Date(),
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      });
      const text = await deliverPdf(store, {
        bytes,
        title: 'Clinic recovery sheet',
        fileName: 'clinic-recovery-sheet.pdf',
        output,
        detail: 'Clinic recovery sheet',
      });
      if (!text.startsWith('Cancelled')) await markRecoveryPrinted(store.db);
      setStatus((await readKeyStatus(store)).recovery ?? null);
      setMessage({ ok: true, text });
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="recovery-title">
      <Title order={3} size="h4" id="recovery-title">
        Clinic recovery key
      </Title>
      <Text size="sm" mt={4}>
        {status
          ? `Created ${formatDateTime(status.createdAt)} by ${status.createdBy}; ` +
            (status.printedAt
              ? `sheet printed ${formatDateTime(status.printedAt)}.`
              : 'its sheet has not been printed or saved.')
          : status === null
            ? 'The clinic has no recovery key yet. Without one, a forgotten passphrase cannot be reset.'
            : ''}
      </Text>
      {key ? (
        <Stack gap="xs" mt="sm">
          <Text size="sm" fw={600}>
            Print or save the sheet now: the key is shown only this once.
          </Text>
          <Code block fz="lg" aria-label="New recovery key" data-testid="recovery-key">
            {key}
          </Code>
          <Group>
            <Button loading={busy === 'print'} onClick={() => void print('print')}>
              Print recovery sheet
            </Button>
            <Button variant="default" loading={busy === 'save'} onClick={() => void print('save')}>
              Save recovery sheet as PDF
            </Button>
            <Button variant="subtle" onClick={() => setKey(undefined)}>
              Done, hide the key
            </Button>
          </Group>
        </Stack>
      ) : isAdmin ? (
        confirming ? (
          <Alert mt="sm" color="orange" title="Replace the recovery key?" role="alertdialog">
            The current recovery sheet stops working once the new key is made. Destroy the old sheet
            after printing the new one.
            <Group mt="sm">
              <Button color="orange" loading={busy === 'create'} onClick={() => void create()}>
                Make a new recovery key
              </Button>
              <Button variant="default" onClick={() => setConfirming(false)}>
                Keep the current key
              </Button>
            </Group>
          </Alert>
        ) : (
          <Group mt="sm">
            <Button
              variant={status ? 'default' : 'filled'}
              loading={busy === 'create'}
              onClick={() => (status ? setConfirming(true) : void create())}
            >
              {status ? 'Create a new recovery key' : 'Create recovery key'}
            </Button>
          </Group>
        )
      ) : (
        <Text size="sm" c="dimmed" mt="xs">
          Only an administrator can create the recovery key and print its sheet.
        </Text>
      )}
      {message && (
        <Alert mt="sm" color={message.ok ? 'teal' : 'red'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </Alert>
      )}
    </Card>
  );
}
