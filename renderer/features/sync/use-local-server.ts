/**
 * The clinic server on this very computer, if one answers at its default address: the only case
 * in which an address form may start filled in (on any other computer 127.0.0.1 is that
 * computer itself, never the server). Asked once per form, briefly.
 */
import { useEffect, useState } from 'react';
import { Health } from '../../../shared/sync/protocol';

export const LOCAL_SERVER = 'http://127.0.0.1:8787';

export async function findLocalServer(
  fetchImpl: typeof fetch = (...a) => globalThis.fetch(...a),
): Promise<string | undefined> {
  try {
    const res = await fetchImpl(`${LOCAL_SERVER}/v1/health`, {
      signal: AbortSignal.timeout(1_500),
    });
    return res.ok && Health.safeParse(await res.json()).success ? LOCAL_SERVER : undefined;
  } catch {
    return undefined;
  }
}

/** Calls `found` with the local server's address once it answers (never otherwise). */
export function useLocalServer(found: (url: string) => void) {
  const [asked, setAsked] = useState(false);
  useEffect(() => {
    if (asked) return;
    setAsked(true);
    void findLocalServer().then((url) => url && found(url));
  }, [asked, found]);
}
