/**
 * What a person types as the clinic server's address, and what to tell them when it cannot be
 * reached. Only the server's own computer talks plain http (to 127.0.0.1 or localhost, which
 * browsers count as secure); every other computer goes through HTTPS (server/deploy/), so an
 * address without a scheme means https, and plain http to another machine is refused in words
 * rather than left to fail without any.
 */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const isLoopback = (url: URL) => LOOPBACK.has(url.hostname);

export type AddressProblem = 'not-an-address' | 'scheme' | 'plain-http';

export function parseServerAddress(input: string): URL | AddressProblem {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return 'not-an-address';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'scheme';
  if (!text.includes('://') && isLoopback(url)) url = new URL(`http://${url.host}`);
  if (url.protocol === 'http:' && !isLoopback(url)) return 'plain-http';
  return url;
}

export const ADDRESS_PROBLEMS: Record<AddressProblem, string> = {
  'not-an-address':
    'That server address is not a web address. It looks like https://kat-server.lan (ask whoever ' +
    'set up the server, or paste the join code).',
  scheme: 'The server address must start with https:// (or http:// on the server’s own computer).',
  'plain-http':
    'A clinic server on another computer is reached over https:// only, so that nothing travels ' +
    'unencrypted. Use the https:// address whoever set up the server gave you.',
};

/** Why a request never got an answer, in words; for HTTPS the certificate is the usual suspect. */
export function unreachableWords(baseUrl: string): string {
  const plain =
    `The clinic server at ${baseUrl} cannot be reached. Changes stay on this computer and sync ` +
    'when it is back; check the network or ask whoever runs the server.';
  if (!baseUrl.startsWith('https:')) return plain;
  return (
    `The clinic server at ${baseUrl} cannot be reached, or this computer does not trust its ` +
    'security certificate, so nothing was sent. If the clinic uses its own certificate, it must ' +
    'be installed on this computer (see “Set up sync for your clinic”). If sync worked here ' +
    'before, the server’s certificate has changed: do not work around it — ask whoever runs the ' +
    'server to confirm the change. Changes stay on this computer meanwhile.'
  );
}
