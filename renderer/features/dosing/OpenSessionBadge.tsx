import { Anchor, Badge, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, useState } from 'react';
import { nextVitalsDue, type VitalsDue } from '../../../shared/rules/dosing';
import { useStore } from '../../app/app-state';
import { formatTime } from '../../app/format';
import { useClinicSettings } from '../../app/use-records';
import { openDoseSessions, type OpenSession } from '../../db/dose-sessions';
import { dueShortWords } from './session-clock';
import { vitalsDueClaims } from './vitals-due-claims';
import { useNow } from './use-dose';

type Watched = OpenSession & { due: VitalsDue };

/**
 * In the app header, on every screen, while a patient is in the chair (issue 15, deliverable 5):
 * the soonest "vitals due" of the open sessions, linking back to that dose; and a notification,
 * which blocks nothing, the moment a reading falls due. The reminder is nextVitalsDue
 * (shared/rules/dosing/vitals.ts), the same one the dose screen's header counts down.
 */
export function OpenSessionBadge() {
  const store = useStore();
  const settings = useClinicSettings();
  const now = useNow(15_000);
  const sessions = useLiveQuery(() => openDoseSessions(store), [store]);
  const watched: Watched[] = (sessions ?? [])
    .map((s) => ({ ...s, due: nextVitalsDue(s.dose, now, settings.vitalsIntervalMinutes) }))
    .filter((s): s is Watched => s.due !== undefined)
    .sort((a, b) => Date.parse(a.due.dueAt) - Date.parse(b.due.dueAt));
  useDueNotifications(watched, now);

  const first = watched[0];
  if (!first) return null;
  const late = Date.parse(first.due.dueAt) + 60_000 <= now.getTime();
  const others = watched.length - 1;
  const when = dueShortWords(first.due, now);
  return (
    <Anchor href={`#/doses/${first.dose.id}`} underline="never">
      <Badge
        component="span"
        size="lg"
        radius="sm"
        variant={late ? 'filled' : 'light'}
        color={late ? 'red' : 'blue'}
        style={{ textTransform: 'none', cursor: 'pointer' }}
      >
        Vitals {when} · {first.patientName}
        {others ? ` +${others}` : ''}
      </Badge>
      <VisuallyHidden>
        {' '}
        (at {formatTime(first.due.dueAt)}
        {others ? `; ${others} more session${others === 1 ? '' : 's'} open` : ''}) — open the dose
        record
      </VisuallyHidden>
    </Anchor>
  );
}

const claim = vitalsDueClaims();

/**
 * One notification per reading as it falls due (not again for the same reading), in one window
 * only when the app is open in several (vitals-due-claims.ts); a hidden window leaves it to a
 * visible one, or tells it when it is shown again.
 */
function useDueNotifications(watched: Watched[], now: Date) {
  const told = useRef(new Set<string>());
  const shown = useRef(new Set<string>());
  const nowMs = now.getTime();
  // Names leave the screen with the user: nothing of a patient stays up over the lock screen.
  useEffect(() => {
    const mine = shown.current;
    return () => mine.forEach((id) => notifications.hide(id));
  }, []);
  const [visible, setVisible] = useState(() => document.visibilityState !== 'hidden');
  useEffect(() => {
    const onChange = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
  useEffect(() => {
    // A reminder for a reading since taken (or a session since closed) goes away at once.
    const current = new Set(watched.map((s) => `vitals-due:${s.dose.id}:${s.due.dueAt}`));
    for (const key of shown.current)
      if (!current.has(key)) {
        notifications.hide(key);
        shown.current.delete(key);
      }
    if (!visible) return;
    for (const s of watched) {
      const key = `vitals-due:${s.dose.id}:${s.due.dueAt}`;
      if (Date.parse(s.due.dueAt) > nowMs || told.current.has(key)) continue;
      told.current.add(key);
      const message = `Vitals due — ${s.patientName}: ${s.due.text}, due at ${formatTime(s.due.dueAt)}`;
      void claim(key).then((mine) => {
        if (!mine) return;
        shown.current.add(key);
        notifications.show({
          id: key,
          color: 'orange',
          // No title: Mantine greys the text under one below contrast (axe, color-contrast).
          message,
          autoClose: 15_000,
        });
      });
    }
  }, [watched, nowMs, visible]);
}
