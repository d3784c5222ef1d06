import { Alert, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useStore } from '../../app/app-state';
import { errorMessage, formatCalendarDate } from '../../app/format';
import { useClinicSettings } from '../../app/use-records';
import { formsNeededOn } from '../../db/appointments-repository';
import { batchPacketPdf, deliverPdf, pdfFileName, type PdfOutput } from '../consent/print-packets';
import { listPackets } from '../../db/consent-packets-repository';

type Stage = { percent: number; text: string };

/** "Print packets for <date>": one PDF, the list of who needs what, then each patient's packet. */
export function BatchPrintButton({ day }: { day: string }) {
  const store = useStore();
  const settings = useClinicSettings();
  const [stage, setStage] = useState<Stage>();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const label = formatCalendarDate(day);

  const run = async (output: PdfOutput) => {
    setMessage(undefined);
    try {
      setStage({ percent: 10, text: 'Reading the schedule and signed consents…' });
      const needs = await formsNeededOn(store, day, new Date());
      const patients = needs.filter((n) => n.forms.length > 0 && n.patient).length;
      const forms = needs.reduce((sum, n) => sum + n.forms.length, 0);
      setStage({
        percent: 40,
        text: `Laying out ${forms} form${forms === 1 ? '' : 's'} for ${patients} patient${patients === 1 ? '' : 's'}…`,
      });
      const packets = await listPackets(store);
      const bytes = await batchPacketPdf({ settings, day, needs, packets });
      setStage({ percent: 90, text: 'Handing the PDF over…' });
      const text = await deliverPdf(store, {
        bytes,
        title: `Consent packets for ${label}`,
        fileName: pdfFileName('consent-packets', day),
        output,
        detail: `Batch consent packets for ${day}: ${needs.length} scheduled, ${patients} with forms to sign (${forms} forms)`,
      });
      setMessage({
        ok: true,
        text: `${patients} packet${patients === 1 ? '' : 's'} (${forms} forms). ${text}`,
      });
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    } finally {
      setStage(undefined);
    }
  };

  return (
    <Stack gap={6} align="flex-end">
      <Group gap="xs">
        <Button onClick={() => void run('print')} loading={!!stage}>
          Print packets for {label}
        </Button>
        <Button variant="default" onClick={() => void run('save')} disabled={!!stage}>
          Save packets as PDF
        </Button>
      </Group>
      {stage && (
        <Stack gap={2} w={320}>
          <Progress value={stage.percent} animated aria-label="Building the packets" />
          <Text size="sm" aria-live="polite">
            {stage.text}
          </Text>
        </Stack>
      )}
      {message && (
        <Alert color={message.ok ? 'teal' : 'red'} role={message.ok ? 'status' : 'alert'} maw={420}>
          {message.text}
        </Alert>
      )}
    </Stack>
  );
}
