import { useEffect } from 'react';
import { lock } from './app-state';

const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Automatic logoff (HIPAA 45 CFR 164.312(a)(2)(iii)): lock after `minutes` without input.
 * Drafts are flushed first (before-lock), so an idle lock never costs a word.
 */
export function useIdleLock(minutes: number) {
  useEffect(() => {
    let last = Date.now();
    const mark = () => (last = Date.now());
    for (const e of ACTIVITY) window.addEventListener(e, mark, { passive: true });
    const timer = window.setInterval(() => {
      if (Date.now() - last >= minutes * 60_000) void lock('idle');
    }, 5_000);
    return () => {
      window.clearInterval(timer);
      for (const e of ACTIVITY) window.removeEventListener(e, mark);
    };
  }, [minutes]);
}
