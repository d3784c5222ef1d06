import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { type DoseRecord, type Patient, patientDisplayName } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { useDisclosureQuestion } from '../disclosures/DisclosureDialog';
import { printRemsSummary } from '../inventory/print-prescriber';

/** Print the esketamine monitoring summary (the REMS Patient Monitoring Form's facts). */
export function RemsSummaryButton(props: { dose: DoseRecord; patient: Patient }) {
  const store = useStore();
  const [busy, setBusy] = useState(false);
  const disclosures = useDisclosureQuestion();
  return (
    <>
      <Button
        variant="default"
        loading={busy}
        onClick={async () => {
          const disclosure = await disclosures.ask({
            what: `The esketamine monitoring summary for ${patientDisplayName(props.patient)}`,
            start: 'agency',
          });
          if (!disclosure) return;
          setBusy(true);
          try {
            await printRemsSummary(store, props.dose, props.patient, disclosure);
          } catch (e) {
            notifications.show({ color: 'red', message: errorMessage(e) });
          } finally {
            setBusy(false);
          }
        }}
      >
        Print monitoring summary
      </Button>
      {disclosures.dialog}
    </>
  );
}
