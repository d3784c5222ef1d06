/**
 * The join code: one line that carries the clinic server's address and a one-time enrollment
 * code, so a new computer joins without anyone typing a URL. Shown (and as a QR code) on the
 * administrator's computer next to the enrollment code; pasted into "Join a clinic".
 *
 *   KAT-JOIN https://kat-server.lan ABCD-EFGH-JKMN
 *
 * Words a person can read aloud, separated by spaces: the marker (its version: a later format
 * gets another marker), the server's origin, the code. Parsing is forgiving about case, extra
 * spaces and line breaks, and strict about what it returns: an http(s) origin and a well-formed
 * code, or nothing.
 */
const MARKER = 'KAT-JOIN';
const CODE = /^[0-9A-HJKMNP-TV-Z]{4}-?[0-9A-HJKMNP-TV-Z]{4}-?[0-9A-HJKMNP-TV-Z]{4}$/;

export type JoinCode = { serverUrl: string; code: string };

export function formatJoinCode({ serverUrl, code }: JoinCode): string {
  return `${MARKER} ${new URL(serverUrl).origin} ${code}`;
}

export function parseJoinCode(text: string): JoinCode | undefined {
  const words = text.trim().split(/\s+/);
  if (words.length !== 3 || words[0]!.toUpperCase() !== MARKER) return undefined;
  let url: URL;
  try {
    url = new URL(words[1]!);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const raw = words[2]!.toUpperCase();
  if (!CODE.test(raw)) return undefined;
  const plain = raw.replace(/-/g, '');
  return {
    serverUrl: url.origin,
    code: `${plain.slice(0, 4)}-${plain.slice(4, 8)}-${plain.slice(8)}`,
  };
}

/** Whether text was meant as a join code (so a form can say it is damaged, not just ignore it). */
export const looksLikeJoinCode = (text: string) => text.trim().toUpperCase().startsWith(MARKER);
