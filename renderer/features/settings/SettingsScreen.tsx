import { Stack, Tabs, Title } from '@mantine/core';
import { ClinicSettingsPanel } from './ClinicSettingsPanel';
import { DosingRulesPanel } from './DosingRulesPanel';
import { UsersPanel } from './UsersPanel';
import { SecondFactorPanel } from './SecondFactorPanel';
import { SecondFactorRuleCard } from './SecondFactorRuleCard';
import { StoragePanel } from './StoragePanel';
import { NoteTemplatesPanel } from './NoteTemplatesPanel';
import { ClinicServerPanel } from '../sync/ClinicServerPanel';

export function SettingsScreen() {
  return (
    <Stack gap="md" maw={900}>
      <Title order={2}>Settings</Title>
      <Tabs defaultValue="clinic" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="clinic">Clinic</Tabs.Tab>
          <Tabs.Tab value="dosing">Dosing rules</Tabs.Tab>
          <Tabs.Tab value="users">Users</Tabs.Tab>
          <Tabs.Tab value="sign-in-security">Sign-in security</Tabs.Tab>
          <Tabs.Tab value="note-templates">Note templates</Tabs.Tab>
          <Tabs.Tab value="storage">Storage and backup</Tabs.Tab>
          <Tabs.Tab value="server">Clinic server</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="clinic" pt="md">
          <ClinicSettingsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="dosing" pt="md">
          <DosingRulesPanel />
        </Tabs.Panel>
        <Tabs.Panel value="users" pt="md">
          <UsersPanel />
        </Tabs.Panel>
        <Tabs.Panel value="sign-in-security" pt="md">
          <Stack gap="lg">
            <SecondFactorRuleCard />
            <SecondFactorPanel />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="note-templates" pt="md">
          <NoteTemplatesPanel />
        </Tabs.Panel>
        <Tabs.Panel value="storage" pt="md">
          <StoragePanel />
        </Tabs.Panel>
        <Tabs.Panel value="server" pt="md">
          <ClinicServerPanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
