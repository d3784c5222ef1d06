/**
 * Making statements: the next link on a verified state, signed with an administrator's identity
 * signing key (ECDSA P-256). The caller appends it through the clinic server (compare-and-swap on
 * the sequence) or, for a clinic not yet connected, to its own copy.
 */
import { signBytes } from '../sync/device-keys';
import { toBase64 } from '../util/bytes';
import type { ChainState } from './chain-state';
import {
  type Statement,
  type StatementBody,
  type UnsignedStatement,
  signingBytes,
} from './statement';

export type ChainSigner = { userId: string; signingKey: CryptoKey };

export async function signStatement(
  state: ChainState | undefined,
  clinicId: string,
  signer: ChainSigner,
  body: StatementBody,
  at = new Date(),
): Promise<Statement> {
  const unsigned: UnsignedStatement = {
    v: 1,
    clinicId,
    seq: state?.length ?? 0,
    prev: state?.headHash ?? null,
    at: at.toISOString(),
    by: signer.userId,
    body,
  };
  const sig = await signBytes(signer.signingKey, signingBytes(unsigned));
  return { ...unsigned, sig: toBase64(sig) };
}
