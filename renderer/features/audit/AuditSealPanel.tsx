import {
  Alert,
  Button,
  Code,
  FileButton,
  Group,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { readBackupHeader } from '../../../shared/backup/format';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { useClinicSettings } from '../../app/use-records';
import { checkSealAgainstLog, currentAuditSeal } from '../../db/audit-repository';
import type { SealCheck } from '../../db/audit-seal';
import { platform } from '../../platform';

/**
 * The audit seal (renderer/db/audit-seal.ts): this computer's current seal to print and file, and
 * a check of a filed seal (typed from paper, or read from a backup file's header) against the log.
 */
export function AuditSealPanel() {
  const store = useStore();
  const settings = useClinicSettings();
  // The seal of the newest event, kept current as events are written (opening the log is one).
  const seal = useLiveQuery(() => currentAuditSeal(store).catch(() => undefined), [store]);
  const [typed, setTyped] = useState('');
  const [result, setResult] = useState<SealCheck & { source: string }>();
  const [busy, setBusy] = useState(false);

  const check = async (text: string, source: string) => {
    setResult({ ...(await checkSealAgainstLog(store, text)), source });
  };

  const print = async () => {
    setBusy(true);
    try {
      const now = new Date();
      const fresh = await currentAuditSeal(store, now);
      const result = await platform.savePdf({
        // pdf-lib loads with the first printout, not with the audit log (issue 20).
        bytes: await (
          await import('./seal-pdf')
        ).buildSealPdf({
          clinicName: settings.clinicName,
          seal: fresh,
          generatedAt: now,
          generatedBy: store.session.user.displayName,
        }),
        suggestedName: `audit-seal-${now.toISOString().slice(0, 10)}.pdf`,
      });
      if (!result.ok) throw new Error(result.error.message);
      if (result.value.outcome === 'cancelled') return;
      await store.audit('print', { detail: `Audit seal: ${fresh}` });
      notifications.show({
        color: 'teal',
        message: `Audit seal saved as ${result.value.fileName}`,
      });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Seal not printed', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const fromBackup = async (file: File | null) => {
    if (!file) return;
    try {
      const { header } = readBackupHeader(new Uint8Array(await file.arrayBuffer()));
      if (!header.auditSeal)
        setResult({
          ok: false,
          message: 'This backup was made before backups carried an audit seal.',
          source: file.name,
        });
      else await check(header.auditSeal, `${file.name}: ${header.auditSeal}`);
    } catch (e) {
      setResult({ ok: false, message: errorMessage(e), source: file.name });
    }
  };

  return (
    <Stack gap="xs">
      <Title order={3}>Audit seal</Title>
      <Text size="sm">
        The log and its newest entry live on this computer, so someone who can change one can change
        both. Print the seal now and then (monthly, and after an incident) and keep it outside the
        computer: checking it later shows whether any event up to it was deleted or changed. Every
        backup carries the seal of the moment it was made.
      </Text>
      <Group gap="sm">
        <Code aria-label="This computer’s audit seal">{seal ?? '…'}</Code>
        <Button variant="default" onClick={() => void print()} loading={busy}>
          Print seal
        </Button>
      </Group>
      <Group align="flex-end" gap="sm">
        <TextInput
          label="Seal to check"
          placeholder="computer 3F9A2C1B · event 1234 · 7D2E-91AC-04B3-F6E8"
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          w={460}
        />
        <Button onClick={() => void check(typed, typed)} disabled={!typed.trim()}>
          Check seal
        </Button>
        <FileButton onChange={(f) => void fromBackup(f)} accept=".katbackup">
          {(props) => (
            <Button variant="default" {...props}>
              Check against a backup file…
            </Button>
          )}
        </FileButton>
      </Group>
      {result && (
        <Alert
          color={result.ok ? 'teal' : 'red'}
          role={result.ok ? 'status' : 'alert'}
          title={result.ok ? 'Seal matches the log' : 'Seal does not match the log'}
        >
          <Text size="sm">{result.message}</Text>
          {!result.ok && (
            <Text size="sm">
              Keep this computer as it is and tell your privacy or security officer; a backup made
              before the missing events holds them.
            </Text>
          )}
        </Alert>
      )}
    </Stack>
  );
}
