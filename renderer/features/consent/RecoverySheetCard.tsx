import { Alert, Button, Card, Group, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { useClinicSettings } from '../../app/use-records';
import { loadPdfFonts } from './pdf-fonts';
import { deliverPdf, letterhead, type PdfOutput } from './print-packets';
import { buildRecoverySheetPdf, placeholderRecoveryKey } from './recovery-sheet';

/** Print path for the clinic recovery sheet; the key is a placeholder until key management lands. */
export function RecoverySheetCard() {
  const store = useStore();
  const settings = useClinicSettings();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState<PdfOutput>();

  const print = async (output: PdfOutput) => {
    setBusy(output);
    setMessage(undefined);
    try {
      const user = store.session.user;
      const bytes = await buildRecoverySheetPdf({
        clinic: letterhead(settings),
        clinicId: store.session.clinicId,
        key: placeholderRecoveryKey(),
        printedBy: user.displayName,
        fonts: await loadPdfFonts(),
        generatedAt: new Date(),
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      });
      const text = await deliverPdf(store, {
        bytes,
        title: 'Clinic recovery sheet (sample)',
        fileName: 'clinic-recovery-sheet-sample.pdf',
        output,
        detail: 'Clinic recovery sheet (placeholder key)',
      });
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
        Clinic recovery sheet
      </Title>
      <Text size="sm" mt={4}>
        The paper copy of the clinic key for the safe. Until device enrolment is set up this prints
        a sample with a placeholder key, clearly marked; it cannot restore anything.
      </Text>
      <Group mt="sm">
        <Button variant="default" loading={busy === 'print'} onClick={() => void print('print')}>
          Print sample recovery sheet
        </Button>
        <Button variant="default" loading={busy === 'save'} onClick={() => void print('save')}>
          Save sample as PDF
        </Button>
      </Group>
      {message && (
        <Alert mt="sm" color={message.ok ? 'teal' : 'red'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </Alert>
      )}
    </Card>
  );
}
