import { useState } from 'react';
import { type IntegrationSummary, type Patient, patientDisplayName } from '../../../shared/model';
import { disclosureDetail } from '../../../shared/rules/disclosures';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { useClinicSettings } from '../../app/use-records';
import { platform } from '../../platform';
import { useDisclosureQuestion } from '../disclosures/DisclosureDialog';
import { loadHandoutFonts } from './pdf-fonts';

/** Print or save the patient handout; every copy made is audited (HIPAA 164.312(b)). */
export function useHandout(patient: Patient | undefined, sessionDate: string) {
  const store = useStore();
  const settings = useClinicSettings();
  const [busy, setBusy] = useState<'print' | 'save'>();
  const [failure, setFailure] = useState<string>();

  const disclosures = useDisclosureQuestion();

  const make = async (how: 'print' | 'save', summary: IntegrationSummary) => {
    if (!patient) return;
    setFailure(undefined);
    const disclosure = await disclosures.ask({
      what: `The integration handout for ${patientDisplayName(patient)}`,
      start: 'patient',
    });
    if (!disclosure) return;
    setBusy(how);
    try {
      const { clinicianNotes: _never, patientId: _id, ...forPatient } = summary;
      const { buildIntegrationHandoutPdf } =
        await import('../../../shared/print/integration-handout');
      const bytes = await buildIntegrationHandoutPdf({
        clinic: {
          clinicName: settings.clinicName,
          clinicAddress: settings.address,
          clinicPhone: settings.phone,
        },
        patient,
        summary: forPatient,
        sessionDate,
        fonts: await loadHandoutFonts(),
        generatedAt: new Date(),
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      });
      const result =
        how === 'print'
          ? await platform.printPdf({ bytes, title: 'Integration summary' })
          : await platform.savePdf({
              bytes,
              suggestedName: `integration-summary-${sessionDate.slice(0, 10)}.pdf`,
            });
      if (!result.ok) return setFailure(result.error.message);
      if (result.value.outcome === 'cancelled') return;
      await store.audit(how === 'print' ? 'print' : 'export', {
        recordKind: 'integration-summary',
        recordId: summary.id,
        patientId: summary.patientId,
        detail: disclosureDetail('Patient handout', disclosure),
      });
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(undefined);
    }
  };
  return { make, busy, failure, dialog: disclosures.dialog };
}
