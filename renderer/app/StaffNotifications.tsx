import { Notifications, notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { usePatientModeOn } from '../features/patient-mode/patient-mode-store';

/**
 * The staff's pop-up notices ("Maya Okafor saved", a sync problem, an emergency access to review),
 * bottom right: clear of the app header (Lock, the session badge) and of the dose screen's sticky
 * session header, which a 15-second reminder at the top covered (issue 15).
 *
 * None of them is for the patient holding the tablet in patient mode (issue 17): they may name
 * other patients, and one left on screen covers the patient's own form. Handing over clears what
 * was shown; a notice raised while the patient has the tablet waits and is shown to staff after.
 */
export function StaffNotifications() {
  const patientMode = usePatientModeOn();
  useEffect(() => {
    if (patientMode) notifications.clean();
  }, [patientMode]);
  return patientMode ? null : <Notifications position="bottom-right" />;
}
