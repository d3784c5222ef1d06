import { Alert, Badge, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useLocation } from 'wouter';
import { assertDoseMaySign } from '../../../shared/rules/dosing';
import { useStore } from '../../app/app-state';
import { ConfirmPassphraseDialog } from '../../app/ConfirmPassphraseDialog';
import { errorMessage } from '../../app/format';
import { useRecord, useRecordsOfKind } from '../../app/use-records';
import { signDose } from '../../db/dose-repository';
import { HomeSessionScreen } from '../home-program/HomeSessionScreen';
import { DischargeCard } from './DischargeCard';
import { DoseDetailsCard } from './DoseDetailsCard';
import { RemsSummaryButton } from './RemsSummaryButton';
import { RateChangesSection } from './RateChangesSection';
import { SafetyFindingsCard } from './SafetyFindingsCard';
import { SessionEventsCard } from './SessionEventsCard';
import { useDoseFindings, useInventory, useNow } from './use-dose';
import { VitalsCard } from './VitalsCard';
import { SAFETY_CARD_ID, SessionHeader } from './SessionHeader';

/** One dose record: details, safety checks, vitals, observations, discharge, sign. */
export function DoseScreen({ id }: { id: string }) {
  const store = useStore();
  const [, navigate] = useLocation();
  const now = useNow();
  const dose = useRecord('dose', id);
  const patient = useRecord('patient', dose?.patientId);
  const users = useRecordsOfKind('user');
  const inventory = useInventory();
  const findings = useDoseFindings(dose, now);
  const [refusal, setRefusal] = useState<string>();
  const [signing, setSigning] = useState(false);
  const patientId = dose?.patientId;
  const version = dose?.updatedAt;
  useEffect(() => setRefusal(undefined), [version]); // a refusal is about the record as it was
  // Opening a dose record is an audited access (HIPAA 45 CFR 164.312(b)).
  useEffect(() => {
    if (patientId) void store.audit('view', { recordKind: 'dose', recordId: id, patientId });
  }, [store, id, patientId]);

  if (dose === undefined || users === undefined)
    return <Loader role="status" aria-label="Opening dose record" />;
  if (dose === null) return <Text>That dose record could not be found.</Text>;
  if (dose.setting === 'at-home') return <HomeSessionScreen dose={dose} />;
  const readOnly = dose.status !== 'draft' || !store.canRead('inventory-lot');

  const trySign = () => {
    setRefusal(undefined);
    try {
      assertDoseMaySign(dose, findings ?? [], dose.overrides);
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
      />
      <DoseDetailsCard
        dose={dose}
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
      <DischargeCard dose={dose} readOnly={readOnly} />
      {refusal && (
        <Alert color="red" role="alert" title="Not ready to sign">
          {refusal}
        </Alert>
      )}
      {dose.status === 'draft' && !readOnly && (
        <Group justify="flex-end">
          <Button size="md" onClick={trySign}>
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
