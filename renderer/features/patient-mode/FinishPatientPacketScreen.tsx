import { Alert, Loader, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useRecord, useRecordsOfKind } from '../../app/use-records';
import { useValueDraft } from '../../app/use-value-draft';
import { PacketFlow } from '../consent/SignPacketScreen';
import { useLivePackets } from '../consent/use-consent';
import { MeasureAlertsPanel } from '../measures/MeasureAlertsPanel';
import { emptyKeptPacket, type KeptPacket, keptPacketKey } from './kept-packet';
import { packetForms } from './PatientPacketTask';

/**
 * After patient mode: the forms the patient filled and signed, for staff to add the witness and
 * clinician signatures and sign the packet. The patient's part comes from its encrypted draft and
 * is shown as given; the draft is dropped once the packet is stored.
 */
export function FinishPatientPacketScreen(props: { patientId: string; program: string }) {
  const patient = useRecord('patient', props.patientId);
  const templates = useRecordsOfKind('consent-template');
  const packets = useLivePackets();
  const settingsRead = useRecordsOfKind('clinic-settings') !== undefined;
  const [kept, setKept] = useState<KeptPacket>(() => emptyKeptPacket(props.program, []));
  // Whoever ended patient mode or signs in after: the patient's part is this computer's draft.
  const draft = useValueDraft(
    keptPacketKey(props.patientId, props.program),
    kept,
    setKept,
    true,
    'this-computer',
  );
  // The forms open at once, so their text needs the clinic's settings read first (phone, address).
  if (!patient || !templates || !packets || !draft.ready || !settingsRead)
    return <Loader role="status" aria-label="Opening what the patient signed" />;
  const forms = packetForms(templates, kept);
  if (forms.length === 0)
    return (
      <Stack maw={900}>
        <Title order={2}>Consent packet from patient mode</Title>
        <Text>Nothing the patient signed is waiting on this computer for this packet.</Text>
      </Stack>
    );
  return (
    <Stack gap="md">
      <MeasureAlertsPanel patientId={props.patientId} />
      <Alert color="blue" title="Signed by the patient in patient mode" maw={900}>
        Add the staff signatures each form needs, then sign the packet. The patient&apos;s entries
        and signature are shown as they gave them.
      </Alert>
      <PacketFlow
        patient={patient}
        templates={templates}
        packets={packets}
        handedBack={{
          program: kept.program,
          forms,
          fieldValues: kept.fieldValues,
          signatures: kept.signatures,
        }}
        onSigned={() => draft.clear()}
      />
    </Stack>
  );
}
