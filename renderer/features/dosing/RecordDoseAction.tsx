import { Alert, Button, Group, Modal, NumberInput, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useLocation } from 'wouter';
import type { Medication, Route } from '../../../shared/model';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { startDose } from '../../db/dose-repository';
import type { ChartSectionProps } from '../chart/chart-sections';
import { medicationOptions, num, routeOptions } from './dose-form';

/**
 * Chart action "Record dose": opens the dosing encounter and its draft dose. The repository
 * refuses it (and the dialog says why) without eligibility or a current consent.
 */
export function RecordDoseAction({ patientId }: ChartSectionProps) {
  const store = useStore();
  const [, navigate] = useLocation();
  const [opened, setOpened] = useState(false);
  const [medication, setMedication] = useState<Medication>('ketamine-hcl');
  const [route, setRoute] = useState<Route>('iv-infusion');
  const [doseMg, setDoseMg] = useState<number | undefined>();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (!can(store.roles, 'write', 'dose')) return null;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    if (!doseMg) return setFailure('Enter the dose in mg.');
    setBusy(true);
    try {
      const { dose } = await startDose(store, { patientId, medication, route, doseMg });
      setOpened(false);
      navigate(`/doses/${dose.id}`);
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button onClick={() => setOpened(true)}>Record dose</Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title="Record a dose" centered>
        <form onSubmit={submit}>
          <Stack gap="sm">
            <Text size="sm">
              Opens today&apos;s dosing session. Eligibility and consent are checked first.
            </Text>
            <Select
              label="Medication"
              data={medicationOptions}
              value={medication}
              allowDeselect={false}
              onChange={(v) => {
                const m = v as Medication;
                setMedication(m);
                if (m === 'esketamine-nasal') {
                  setRoute('intranasal');
                  setDoseMg(56);
                }
              }}
            />
            <Select
              label="Route"
              data={routeOptions}
              value={route}
              allowDeselect={false}
              onChange={(v) => setRoute(v as Route)}
            />
            <NumberInput
              label="Dose (mg)"
              min={0}
              decimalScale={2}
              value={doseMg ?? ''}
              onChange={(v) => setDoseMg(num(v))}
            />
            {failure && (
              <Alert color="red" role="alert">
                {failure}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpened(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={busy}>
                Start dose record
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
