import { useState } from 'react';
import {
  type Addendum,
  type NoteTemplateBody,
  type SessionNote,
  type User,
  patientDisplayName,
} from '../../../shared/model';
import type { CoSignatureState } from '../../../shared/rules/co-signature';
import { disclosureDetail } from '../../../shared/rules/disclosures';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { useClinicSettings, useRecord } from '../../app/use-records';
import { platform } from '../../platform';
import { useDisclosureQuestion } from '../disclosures/DisclosureDialog';
import { loadHandoutFonts } from '../integration/pdf-fonts';

/** Save a note as a PDF with every signature on it; each copy made is audited (HIPAA 164.312(b)). */
export function useNotePdf(input: {
  note: SessionNote;
  template: NoteTemplateBody;
  addenda: Addendum[];
  coSignature: CoSignatureState;
  users: User[] | undefined;
}) {
  const store = useStore();
  const settings = useClinicSettings();
  const patient = useRecord('patient', input.note.patientId);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const disclosures = useDisclosureQuestion();

  const save = async () => {
    if (!patient) return;
    setFailure(undefined);
    const disclosure = await disclosures.ask({
      what: `${input.note.title || 'This note'} for ${patientDisplayName(patient)}`,
    });
    if (!disclosure) return;
    setBusy(true);
    try {
      const { buildNotePdf } = await import('../../../shared/print/note');
      const names = Object.fromEntries(
        (input.users ?? []).map((u) => [
          u.id,
          `${u.displayName}${u.credentials ? `, ${u.credentials}` : ''}`,
        ]),
      );
      const bytes = await buildNotePdf({
        clinic: {
          clinicName: settings.clinicName,
          clinicAddress: settings.address,
          clinicPhone: settings.phone,
        },
        patient,
        note: input.note,
        sections: input.template.sections,
        addenda: input.addenda,
        coSignature: input.coSignature,
        names,
        fonts: await loadHandoutFonts(),
        generatedAt: new Date(),
        // The clinic's days and hours, as its other printouts (settings.timeZone).
        timeZone: settings.timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone,
      });
      const result = await platform.savePdf({
        bytes,
        suggestedName: `note-${input.note.createdAt.slice(0, 10)}.pdf`,
      });
      if (!result.ok) return setFailure(result.error.message);
      if (result.value.outcome === 'cancelled') return;
      await store.audit('export', {
        recordKind: 'note',
        recordId: input.note.id,
        patientId: input.note.patientId,
        detail: disclosureDetail('Note saved as PDF', disclosure),
      });
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return { save, busy, failure, ready: !!patient, dialog: disclosures.dialog };
}
