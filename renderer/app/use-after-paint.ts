import { useEffect, useState } from 'react';

/** At most this long after `ready`, even where no frame comes (a hidden window draws none). */
const LATEST_MS = 150;

/**
 * True from the frame after the one in which `ready` first held: what a screen shows second waits
 * until what it shows first is on screen, instead of being rendered, read and decrypted alongside
 * it (issue 20: the chart's panels delayed its course). Once true it stays true.
 */
export function useAfterPaint(ready: boolean): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!ready || shown) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A task after the next frame: the frame that draws what `ready` brought comes first.
    const frame = requestAnimationFrame(() => {
      clearTimeout(latest);
      timer = setTimeout(() => setShown(true), 0);
    });
    const latest = setTimeout(() => {
      cancelAnimationFrame(frame);
      setShown(true);
    }, LATEST_MS);
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      clearTimeout(latest);
    };
  }, [ready, shown]);
  return shown;
}
