import { Alert, Badge, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useLocation } from 'wouter';
import type { DoseRecord, Patient, User } from '../../../shared/model';
import { assertDoseMaySign, type SafetyFinding } from '../../../shared/rules/dosing';
import { useStore } from '../../app/app-state';
import { ConfirmPassphraseDialog } from '../../app/ConfirmPassphraseDialog';
import { errorMessage } from '../../app/format';
import { useRecord, useRecordsOfKind } from '../../app/use-records';
import { doseFindings, doseMoment, signDose } from '../../db/dose-repository';
import type { InventoryView } from '../../db/inventory-repository';
import { preloadCharts } from '../charts/LazyLineChart';
import { HomeSessionScreen } from '../home-program/HomeSessionScreen';
import { DischargeCard } from './DischargeCard';
import { DoseDetailsCard } from './DoseDetailsCard';
import { RemsSummaryButton } from './RemsSummaryButton';
import { RateChangesSection } from './RateChangesSection';
import { SafetyFindingsCard } from './SafetyFindingsCard';
import { SessionEventsCard } from './SessionEventsCard';
import { doseChanges } from './dose-record-form';
import { useDoseAutosave } from './use-dose-autosave';
import { useDoseFindings, useInventory, useNow } from './use-dose';
import { VitalsCard } from './VitalsCard';
import { KeptDraftNotice } from './KeptDraftNotice';
import { SAFETY_CARD_ID, SessionHeader } from './SessionHeader';

/** One dose record: details, safety checks, vitals, observations, discharge, sign. */
export function DoseScreen({ id }: { id: string }) {
  const store = useStore();
  const now = useNow();
  const dose = useRecord('dose', id);
  const patient = useRecord('patient', dose?.patientId);
  const users = useRecordsOfKind('user');
  const inventory = useInventory();
  const findings = useDoseFindings(dose, now);
  const patientId = dose?.patientId;
  // The vitals chart's library loads beside the record's reads, not after them (issue 20).
  useEffect(() => void preloadCharts().catch(() => undefined), []);
  // Opening a dose record is an audited access (HIPAA 45 CFR 164.312(b)).
  useEffect(() => {
    if (patientId) void store.audit('view', { recordKind: 'dose', recordId: id, patientId });
  }, [store, id, patientId]);

  if (dose === undefined || users === undefined)
    return <Loader role="status" aria-label="Opening dose record" />;
  if (dose === null) return <Text>That dose record could not be found.</Text>;
  if (dose.setting === 'at-home') return <HomeSessionScreen dose={dose} />;
  const readOnly = dose.status !== 'draft' || !store.canRead('inventory-lot');

  return (
    // One editor per record: opening another dose starts from that record, not this one's typing.
    <DoseRecordView
      key={dose.id}
      dose={dose}
      patient={patient}
      users={users}
      inventory={inventory}
      findings={findings}
      now={now}
      readOnly={readOnly}
    />
  );
}

/**
 * The record itself. Its fields autosave as one (use-dose-autosave.ts) under one status badge;
 * recording the start and signing stay buttons, each refused in words where it was pressed.
 */
function DoseRecordView(props: {
  dose: DoseRecord;
  patient: Patient | null | undefined;
  users: User[];
  inventory: InventoryView | undefined;
  findings: SafetyFinding[] | undefined;
  now: Date;
  readOnly: boolean;
}) {
  const { dose, patient, users, inventory, findings, now, readOnly } = props;
  const id = dose.id;
  const store = useStore();
  const [, navigate] = useLocation();
  const autosave = useDoseAutosave(dose, readOnly);
  const [refusal, setRefusal] = useState<string>();
  const [signing, setSigning] = useState(false);
  const version = dose.updatedAt;
  useEffect(() => setRefusal(undefined), [version]); // a refusal is about the record as it was

  const trySign = async () => {
    setRefusal(undefined);
    try {
      // Signing judges the record with everything typed in it: what is on screen goes in first.
      await autosave.flush();
      const fresh = await store.get('dose', id);
      if (!fresh) return;
      const waiting = doseChanges(autosave.form, fresh);
      if (waiting.length)
        throw new Error(
          'Not everything typed is in the record yet — see the marked fields, then sign.',
        );
      const at = new Date();
      assertDoseMaySign(
        fresh,
        await doseFindings(store, fresh, doseMoment(fresh, at), at),
        fresh.overrides,
      );
      setSigning(true);
    } catch (e) {
      setRefusal(errorMessage(e));
    }
  };

  return (
    <Stack gap="md" maw={1000}>
      <Group justify="space-between">
        <Title order={2}>Dose record</Title>
        <Group>
          {dose.signature && (
            <Badge color="teal" size="lg">
              Signed by {dose.signature.byName}
            </Badge>
          )}
          {dose.medication === 'esketamine-nasal' && patient && (
            <RemsSummaryButton dose={dose} patient={patient} />
          )}
          <Button variant="default" onClick={() => navigate(`/patients/${dose.patientId}`)}>
            Back to chart
          </Button>
        </Group>
      </Group>
      <SessionHeader
        dose={dose}
        patient={patient}
        now={now}
        findings={findings}
        readOnly={readOnly}
        saveState={autosave.state}
      />
      <KeptDraftNotice at={autosave.restoredAt} />
      {autosave.failure && (
        <Alert color="red" role="alert" title="Not saved">
          {autosave.failure}
        </Alert>
      )}
      <DoseDetailsCard
        dose={dose}
        autosave={autosave}
        inventory={inventory}
        users={users.filter((u) => u.active)}
        readOnly={readOnly}
        now={now}
        findings={findings}
      />
      {dose.route === 'iv-infusion' && <RateChangesSection dose={dose} readOnly={readOnly} />}
      {/* scrolled to from the header's "open findings"; clear of the sticky header */}
      <div id={SAFETY_CARD_ID} style={{ scrollMarginTop: 240 }}>
        <SafetyFindingsCard dose={dose} findings={findings} readOnly={readOnly} />
      </div>
      <VitalsCard dose={dose} />
      <SessionEventsCard dose={dose} readOnly={readOnly} />
      <DischargeCard dose={dose} autosave={autosave} readOnly={readOnly} />
      {refusal && (
        <Alert color="red" role="alert" title="Not ready to sign">
          {refusal}
        </Alert>
      )}
      {dose.status === 'draft' && !readOnly && (
        <Group justify="flex-end">
          <Button size="md" onClick={() => void trySign()}>
            Sign dose record
          </Button>
        </Group>
      )}
      <ConfirmPassphraseDialog
        opened={signing}
        title="Sign the dose record"
        explanation="Signing makes this dose record final and enters the administration in the controlled-substance log."
        confirmLabel="Sign"
        onClose={() => setSigning(false)}
        onConfirmed={async () => {
          await signDose(store, id);
          notifications.show({ color: 'teal', message: 'Dose record signed and logged' });
        }}
      />
    </Stack>
  );
}
