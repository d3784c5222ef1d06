import { Alert, Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { SignedConsent } from '../../../shared/model';
import { can } from '../../../shared/rules/permissions';
import { ConfirmPassphraseDialog } from '../../app/ConfirmPassphraseDialog';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { revokeConsent } from '../../db/consent-repository';
import { type CapturedSignature, SignatureField } from './SignatureField';

/**
 * The patient withdraws this consent (their right at any time, before any dose): their signature,
 * an optional reason, then the staff member confirms with their passphrase.
 */
export function WithdrawConsent({
  consent,
  patientName,
}: {
  consent: SignedConsent;
  patientName: string;
}) {
  const store = useStore();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [signature, setSignature] = useState<CapturedSignature>();
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<string>();
  if (consent.revokes || consent.status !== 'signed' || !can(store.roles, 'sign', 'signed-consent'))
    return null;

  if (!open)
    return (
      <Group>
        <Button variant="default" color="red" onClick={() => setOpen(true)}>
          Record withdrawal of this consent
        </Button>
      </Group>
    );

  const save = async () => {
    await revokeConsent(store, {
      consent,
      signatures: [signature!],
      reason,
      signedAt: new Date().toISOString(),
    });
    notifications.show({ color: 'teal', message: `Withdrawal of “${consent.title}” recorded.` });
    setOpen(false);
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="withdraw-title">
      <Stack gap="sm">
        <Title order={3} size="h4" id="withdraw-title">
          Withdraw “{consent.title}”
        </Title>
        <Text size="sm">
          The signed form stays as it is; the withdrawal is stored as a new signed record and the
          form no longer counts from now on.
        </Text>
        <Textarea
          label="Reason (optional)"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        <SignatureField
          role="patient"
          formTitle={`withdrawal of ${consent.title}`}
          patientName={patientName}
          onChange={setSignature}
        />
        {failure && (
          <Alert color="red" role="alert">
            {failure}
          </Alert>
        )}
        <Group>
          <Button variant="default" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button
            color="red"
            onClick={() => {
              setFailure(
                signature ? undefined : 'The patient’s drawn signature and typed name are needed.',
              );
              if (signature) setConfirming(true);
            }}
          >
            Record withdrawal
          </Button>
        </Group>
      </Stack>
      <ConfirmPassphraseDialog
        opened={confirming}
        title="Confirm the withdrawal"
        explanation={`You are recording that ${patientName} withdraws “${consent.title}”.`}
        confirmLabel="Record withdrawal"
        onClose={() => setConfirming(false)}
        onConfirmed={async () => {
          try {
            await save();
          } catch (e) {
            setFailure(errorMessage(e));
            throw e;
          }
        }}
      />
    </Card>
  );
}
