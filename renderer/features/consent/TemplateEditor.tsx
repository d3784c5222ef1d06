import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { SIGNER_ROLES, type ConsentTemplate, type TemplateField } from '../../../shared/model';
import { TemplateFieldsEditor } from './TemplateFieldsEditor';
import { TEMPLATE_PLACEHOLDERS } from '../../../shared/rules/consent';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { saveTemplateEdit } from '../../db/consent-repository';
import { SIGNER_LABELS, VALIDITY_LABELS } from './consent-labels';
import { ReconsentList } from './ReconsentList';

type Draft = Pick<ConsentTemplate, 'title' | 'body' | 'signers' | 'validity'> & {
  reconsent: boolean;
  fields: TemplateField[];
};

/** Edit a form's newest version; saving stores version + 1 and leaves signed copies untouched. */
export function TemplateEditor(props: { template: ConsentTemplate; onClose: () => void }) {
  const store = useStore();
  const t = props.template;
  const [draft, setDraft] = useState<Draft>({
    title: t.title,
    body: t.body,
    signers: t.signers,
    validity: t.validity,
    reconsent: false,
    fields: t.fields ?? [],
  });
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  /** A version saved with "ask for re-consent": the modal then lists who must sign it. */
  const [published, setPublished] = useState<ConsentTemplate>();
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    setBusy(true);
    try {
      const { fields, ...rest } = draft;
      const next = await saveTemplateEdit(store, t, {
        ...rest,
        fields: fields.length || t.fields ? fields : undefined,
      });
      notifications.show({
        color: 'teal',
        message: `Saved “${next.title}” as version ${next.version}. Forms signed earlier keep their text.`,
      });
      if (next.reconsent) setPublished(next);
      else props.onClose();
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened
      onClose={props.onClose}
      title={
        published
          ? `“${published.title}”, version ${published.version}: re-consent`
          : `Edit “${t.title}”`
      }
      size="xl"
    >
      {published ? (
        <Stack gap="sm">
          <ReconsentList templateKey={published.templateKey} title={published.title} />
          <Group justify="flex-end">
            <Button onClick={props.onClose}>Close</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={save} noValidate>
          <Stack gap="sm">
            <Text size="sm">
              You are editing version {t.version}. Saving makes version {t.version + 1}; consents
              already signed keep exactly the text the patient signed.
            </Text>
            <TextInput
              label="Title"
              value={draft.title}
              onChange={(e) => set({ title: e.currentTarget.value })}
            />
            <Textarea
              label="Form text"
              description={`Blank line between paragraphs; “# ” starts a heading, “- ” a bullet; a line [[field-id]] places a field. Placeholders: ${TEMPLATE_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`}
              autosize
              minRows={10}
              maxRows={22}
              value={draft.body}
              onChange={(e) => set({ body: e.currentTarget.value })}
            />
            <TemplateFieldsEditor
              fields={draft.fields}
              body={draft.body}
              onChange={(fields, body) => set({ fields, body })}
            />
            <Checkbox.Group
              label="Who signs"
              value={draft.signers}
              onChange={(v) => set({ signers: v as Draft['signers'] })}
            >
              <Group mt={4}>
                {SIGNER_ROLES.map((r) => (
                  <Checkbox key={r} value={r} label={SIGNER_LABELS[r]} />
                ))}
              </Group>
            </Checkbox.Group>
            <Select
              label="Stays valid"
              data={Object.entries(VALIDITY_LABELS).map(([value, label]) => ({ value, label }))}
              value={draft.validity}
              onChange={(v) => v && set({ validity: v as Draft['validity'] })}
              allowDeselect={false}
            />
            <Checkbox
              label="Ask for re-consent: patients who signed an earlier version must sign this one before it counts"
              description="Use it when the risks or what the patient agrees to changed. They are listed after you save."
              checked={draft.reconsent}
              onChange={(e) => set({ reconsent: e.currentTarget.checked })}
            />
            <Text size="sm" c="dimmed">
              Which programs require this form is set in each packet, under Packets on this page.
            </Text>
            {failure && (
              <Alert color="red" role="alert" title="Not saved">
                {failure}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={props.onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={busy}>
                Save as version {t.version + 1}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
