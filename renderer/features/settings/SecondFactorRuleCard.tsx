/**
 * The clinic's rule for a second factor (administrators set it; everyone sees it): off, optional,
 * or required for chosen roles. Saved as an administrator-signed statement in the membership
 * chain (renderer/trust/second-factor-policy.ts).
 */
import { Alert, Button, Card, Checkbox, Group, Radio, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ROLES, ROLE_LABELS, type Role } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import {
  type SecondFactorMode,
  type SecondFactorPolicy,
  setSecondFactorPolicy,
} from '../../trust/second-factor-policy';
import { useSecondFactorPolicy } from './use-second-factor';

export function describeRule(p: SecondFactorPolicy): string {
  if (p.mode === 'off') return 'The clinic does not use a second factor.';
  if (p.mode === 'optional') return 'A second factor is optional: each person decides.';
  const roles = p.roles.map((r) => ROLE_LABELS[r]).join(', ');
  return `A second factor is required for: ${roles}. Everyone else may add one.`;
}

export function SecondFactorRuleCard() {
  const store = useStore();
  const policy = useSecondFactorPolicy();
  const isAdmin = store.roles.includes('administrator');
  const [mode, setMode] = useState<SecondFactorMode>('optional');
  const [roles, setRoles] = useState<Role[]>([]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!policy) return;
    setMode(policy.mode);
    setRoles(policy.roles);
  }, [policy]);
  if (!policy) return null;

  const save = async () => {
    setFailure(undefined);
    setSaved(false);
    setBusy(true);
    try {
      await setSecondFactorPolicy(store, { mode, roles: mode === 'required' ? roles : [] });
      await store.audit('second-factor-changed', {
        detail: `Clinic rule: ${describeRule({ mode, roles })}`,
      });
      setSaved(true);
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={3} size="h4">
          Clinic rule
        </Title>
        <Text size="sm" data-testid="second-factor-rule">
          {describeRule(policy)}
        </Text>
        {isAdmin && (
          <>
            <Radio.Group
              label="Second factor at sign-in"
              value={mode}
              onChange={(v) => setMode(v as SecondFactorMode)}
            >
              <Stack gap={6} mt={4}>
                <Radio value="off" label="Off — not offered" />
                <Radio value="optional" label="Optional — each person decides" />
                <Radio value="required" label="Required for the roles chosen below" />
              </Stack>
            </Radio.Group>
            {mode === 'required' && (
              <Checkbox.Group
                label="Roles that must use a second factor"
                value={roles}
                onChange={(v) => setRoles(v as Role[])}
              >
                <Group gap="md" mt={4}>
                  {ROLES.map((r) => (
                    <Checkbox key={r} value={r} label={ROLE_LABELS[r]} />
                  ))}
                </Group>
              </Checkbox.Group>
            )}
            <Text size="xs" c="dimmed">
              Someone in a required role who has none is asked to add one at their next sign-in,
              before anything else. The rule is signed by you, so the clinic server cannot change
              it.
            </Text>
            {failure && (
              <Alert color="red" role="alert" title="The rule was not saved">
                {failure}
              </Alert>
            )}
            {saved && (
              <Text size="sm" c="teal.9" role="status">
                Clinic rule saved.
              </Text>
            )}
            <Group>
              <Button variant="light" loading={busy} onClick={() => void save()}>
                Save the rule
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}
