/**
 * Settings → Dosing rules (issue 15, deliverable 6): every threshold the dosing rules read, with
 * its default and the source of the rule beside it. Only an administrator saves; each change is
 * audited (saveDosingSettings) and a dose signed earlier keeps the thresholds it was signed under.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import {
  Alert,
  Button,
  Card,
  Divider,
  Grid,
  NumberInput,
  Select,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Fragment, useEffect, useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { DosingThresholds } from '../../../shared/model';
import {
  DOSING_SETTINGS,
  dosingDefaults,
  pickDosingSettings,
  type DosingSettingInfo,
} from '../../../shared/rules/dosing';
import { can } from '../../../shared/rules/permissions';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { useClinicSettings } from '../../app/use-records';
import { saveDosingSettings } from '../../db/clinic-settings-repository';

type Values = DosingThresholds;

const ZONES: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
})();

const defaultText = (info: DosingSettingInfo, defaults: Values) => {
  const v = defaults[info.key];
  return v === undefined ? "This computer's own time zone" : `${v} ${info.unit}`;
};

export function DosingRulesPanel() {
  const store = useStore();
  const current = useClinicSettings();
  const editable = can(store.roles, 'write', 'clinic-settings');
  const defaults = useMemo(dosingDefaults, []);
  const [failure, setFailure] = useState<string>();
  const form = useForm<Values>({
    resolver: zodResolver(DosingThresholds) as never,
    defaultValues: pickDosingSettings(current),
  });
  const { errors, isSubmitting } = form.formState;
  // Reload when the stored record arrives or is changed elsewhere (another window, sync).
  const stamp = 'updatedAt' in current ? current.updatedAt : undefined;
  useEffect(() => form.reset(pickDosingSettings(current)), [current.id, stamp]);

  const submit = form.handleSubmit(async (values) => {
    setFailure(undefined);
    try {
      const { changes } = await saveDosingSettings(store, values);
      notifications.show({
        color: 'teal',
        message: changes.length ? `Dosing rules saved: ${changes.join('; ')}` : 'Nothing changed',
      });
    } catch (e) {
      setFailure(errorMessage(e));
    }
  });

  const field = (info: DosingSettingInfo) =>
    info.key === 'timeZone' ? (
      <Controller
        control={form.control}
        name="timeZone"
        render={({ field }) => (
          <Select
            label={info.label}
            placeholder="This computer's time zone"
            data={ZONES}
            searchable
            clearable
            value={field.value ?? null}
            onChange={(v) => field.onChange(v ?? undefined)}
            error={errors.timeZone?.message}
            disabled={!editable}
          />
        )}
      />
    ) : (
      <Controller
        control={form.control}
        name={info.key}
        render={({ field }) => (
          <NumberInput
            label={`${info.label} (${info.unit})`}
            value={field.value ?? ''}
            onChange={(v) => field.onChange(v === '' ? undefined : Number(v))}
            decimalScale={info.decimals}
            step={info.decimals ? 0.05 : 1}
            allowNegative={false}
            error={errors[info.key]?.message}
            disabled={!editable}
          />
        )}
      />
    );

  return (
    <form onSubmit={submit} noValidate aria-label="Dosing rules">
      <Card withBorder padding="lg">
        <Stack gap="md">
          <div>
            <Title order={3} size="h4">
              Dosing rules
            </Title>
            <Text size="sm" c="dimmed">
              The thresholds the dose record checks. A change applies to doses not yet signed; a
              signed dose keeps the thresholds it was signed under. Every change is audited.
            </Text>
          </div>
          {!editable && (
            <Text size="sm" c="dimmed">
              Only an administrator can change the dosing rules.
            </Text>
          )}
          {DOSING_SETTINGS.map((info, i) => (
            <Fragment key={info.key}>
              {i > 0 && <Divider />}
              <Grid align="flex-start">
                <Grid.Col span={{ base: 12, sm: 5 }}>{field(info)}</Grid.Col>
                <Grid.Col span={{ base: 12, sm: 7 }}>
                  <Text size="sm">{info.rule}.</Text>
                  <Text size="sm" c="dimmed">
                    Default: {defaultText(info, defaults)} · Source: {info.source}
                  </Text>
                </Grid.Col>
              </Grid>
            </Fragment>
          ))}
          {failure && (
            <Alert color="red" title="Not saved">
              {failure}
            </Alert>
          )}
          {editable && (
            <Button type="submit" loading={isSubmitting} w="fit-content">
              Save dosing rules
            </Button>
          )}
        </Stack>
      </Card>
    </form>
  );
}
