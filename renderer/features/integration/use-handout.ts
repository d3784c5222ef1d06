import { useState } from 'react';
import type { IntegrationSummary, Patient } from '../../../shared/model';
import { useStore } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import { useClinicSettings } from '../../app/use-records';
import { platform } from '../../platform';
import { loadHandoutFonts } from './pdf-fonts';

/** Print or save the patient handout; every copy made is audited (HIPAA 164.312(b)). */
export function useHandout(patient: Patient | undefined, sessionDate: string) {
  const store = useStore();
  const settings = useClinicSettings();
  const [busy, setBusy] = useState<'print' | 'save'>();
  const [failure, setFailure] = useState<string>();

  const make = async (how: 'print' | 'save', summary: IntegrationSummary) => {
    if (!patient) return;
    setBusy(how);
    setFailure(undefined);
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
      await store.audit(how === 'print' ? 'print' : 'export', {
        recordKind: 'integration-summary',
        recordId: summary.id,
        patientId: summary.patientId,
        detail: 'Patient handout',
      });
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(undefined);
    }
  };
  return { make, busy, failure };
}
