import {
  Alert,
  Anchor,
  Button,
  Card,
  Checkbox,
  Group,
  Loader,
  Radio,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useLocation } from 'wouter';
import { INSTRUMENTS, type Instrument } from '../../../shared/model';
import { packetTemplates } from '../../../shared/rules/consent-packets';
import { MEASURES, measuresDue } from '../../../shared/rules/measures';
import { can, collectsQuestionnaires } from '../../../shared/rules/permissions';
import type { PatientTask } from '../../../shared/rules/patient-mode';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { useClinicSettings, useRecordsOfKind } from '../../app/use-records';
import { nextVisit } from '../../db/measures-repository';
import { startPatientMode } from '../../db/patient-mode-repository';
import { PatientBanner } from '../chart/PatientBanner';
import { useLivePackets } from '../consent/use-consent';
import { usePatientMeasures } from '../measures/use-patient-measures';
import { patientModeStorage } from './patient-mode-store';

const NO_PACKET = '';

/**
 * Staff choose what the patient does on this device (a consent packet, questionnaires; those due
 * before the next visit are ticked), then hand it over: the app turns into the patient's screen.
 */
export function StartPatientModeScreen({ patientId }: { patientId: string }) {
  const store = useStore();
  const [, navigate] = useLocation();
  const settings = useClinicSettings();
  const templates = useRecordsOfKind('consent-template');
  const packets = useLivePackets();
  const readsMeasures = can(store.roles, 'write', 'measure');
  const signsConsents = can(store.roles, 'sign', 'signed-consent');
  // The front office hands questionnaires over too; only a reader of measures sees which are due.
  const collects = collectsQuestionnaires(store.roles);
  const data = usePatientMeasures(patientId);
  const due = useMemo(() => {
    if (!data || !readsMeasures) return [];
    const visit = nextVisit(data.appointments, data.encounters, new Date());
    return visit ? measuresDue(settings, data.measures, visit).map((d) => d.instrument) : [];
  }, [data, settings, readsMeasures]);
  const [program, setProgram] = useState<string>(NO_PACKET);
  const [withOptional, setWithOptional] = useState<string[]>([]);
  const [instruments, setInstruments] = useState<string[]>([]);
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [ticked, setTicked] = useState(false);
  useEffect(() => {
    if (ticked || due.length === 0) return;
    setInstruments(due);
    setTicked(true);
  }, [due, ticked]);

  if (!templates || !packets) return <Loader role="status" aria-label="Opening patient mode" />;
  const packet = packets.find((p) => p.program === program);
  const forms = packet ? packetTemplates(packet, templates) : undefined;

  const start = async () => {
    setFailure(undefined);
    const tasks: PatientTask[] = [];
    if (packet && forms) {
      const keys = [
        ...forms.required.map((t) => t.templateKey),
        ...forms.optional
          .filter((t) => withOptional.includes(t.templateKey))
          .map((t) => t.templateKey),
      ];
      tasks.push({ kind: 'packet', program: packet.program, templateKeys: keys });
    }
    for (const i of INSTRUMENTS)
      if (instruments.includes(i)) tasks.push({ kind: 'measure', instrument: i });
    setBusy(true);
    try {
      await startPatientMode(store, patientModeStorage, { patientId, tasks });
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="md" maw={900}>
      <PatientBanner patientId={patientId} />
      <Group justify="space-between">
        <Title order={2}>Hand the device to the patient</Title>
        <Anchor component="button" onClick={() => navigate(`/patients/${patientId}`)}>
          Back to chart
        </Anchor>
      </Group>
      <Text>
        The screen then shows only this patient&apos;s forms and questions, one at a time, in large
        type. Nothing else of KAT Chart can be reached until a member of staff ends patient mode
        with their own user name and passphrase.
      </Text>
      {signsConsents && (
        <Card withBorder>
          <Radio.Group label="Consent packet to sign" value={program} onChange={setProgram}>
            <Stack gap={6} mt={6}>
              <Radio value={NO_PACKET} label="None" />
              {packets.map((p) => (
                <Radio key={p.program} value={p.program} label={p.name} />
              ))}
            </Stack>
          </Radio.Group>
          {forms && (
            <Stack gap={4} mt="sm">
              {forms.required.map((t) => (
                <Text key={t.id} size="sm">
                  {t.title}
                </Text>
              ))}
              {forms.optional.length > 0 && (
                <Checkbox.Group value={withOptional} onChange={setWithOptional} label="Optional">
                  {forms.optional.map((t) => (
                    <Checkbox key={t.id} value={t.templateKey} label={t.title} mt={4} />
                  ))}
                </Checkbox.Group>
              )}
            </Stack>
          )}
        </Card>
      )}
      <Card withBorder>
        {collects ? (
          <Checkbox.Group
            label="Questionnaires"
            description={
              due.length
                ? 'Those due before the next visit are ticked.'
                : readsMeasures
                  ? undefined
                  : 'The answers go to the patient’s clinician to review; they are not shown to you.'
            }
            value={instruments}
            onChange={setInstruments}
          >
            <Stack gap={6} mt={6}>
              {INSTRUMENTS.map((i: Instrument) => (
                <Checkbox key={i} value={i} label={MEASURES[i].name} />
              ))}
            </Stack>
          </Checkbox.Group>
        ) : (
          <Text size="sm">
            Questionnaires are handed over by a therapist, prescriber or practice manager.
          </Text>
        )}
      </Card>
      {failure && (
        <Alert color="red" role="alert">
          {failure}
        </Alert>
      )}
      <Group>
        <Button onClick={() => void start()} loading={busy}>
          Start patient mode
        </Button>
      </Group>
    </Stack>
  );
}

/** Chart action: collect forms and questionnaires from the patient on this device. */
export function PatientModeAction({ patientId }: { patientId: string }) {
  const store = useStore();
  const [, navigate] = useLocation();
  if (!can(store.roles, 'sign', 'signed-consent') && !collectsQuestionnaires(store.roles))
    return null;
  return (
    <Button variant="light" onClick={() => navigate(`/patients/${patientId}/patient-mode`)}>
      Patient mode
    </Button>
  );
}
