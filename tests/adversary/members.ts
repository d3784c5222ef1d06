/**
 * Clinic members and membership statements made in a test, the way an administrator's computer
 * makes them (shared/trust): a person with identity keys, and a chain built statement by
 * statement. Adversary tests use it to forge what an attacker could (their own keys, another
 * member's name) next to what only a real administrator can sign.
 */
import { exportIdentityPublic, generateIdentity, type Identity } from '../../shared/crypto/keyring';
import type { ChainState } from '../../shared/trust/chain-state';
import { type ChainSigner, signStatement } from '../../shared/trust/sign';
import { type StatementBody, statementText } from '../../shared/trust/statement';
import { extendChain } from '../../shared/trust/verify';
import { uuidv7 } from '../../shared/util/ids';

export type Person = {
  userId: string;
  identity: Identity;
  signer: ChainSigner;
  keys: { signingKey: string; agreementKey: string };
};

export async function person(userId = uuidv7()): Promise<Person> {
  const identity = await generateIdentity();
  return {
    userId,
    identity,
    signer: { userId, signingKey: identity.signing!.privateKey },
    keys: {
      signingKey: identity.signing!.publicKey,
      agreementKey: await exportIdentityPublic(identity.publicKey),
    },
  };
}

/** A chain held in memory; `sign` makes the next statement without taking it. */
export class TestChain {
  texts: string[] = [];
  state: ChainState | undefined;
  constructor(readonly clinicId = uuidv7()) {}

  async sign(by: Person, body: StatementBody) {
    return statementText(await signStatement(this.state, this.clinicId, by.signer, body));
  }

  async take(text: string) {
    const r = await extendChain(this.state, [text], { clinicId: this.clinicId });
    if (r.problem) throw new Error(r.problem.message);
    this.state = r.state;
    this.texts.push(text);
    return text;
  }

  async append(by: Person, body: StatementBody) {
    return this.take(await this.sign(by, body));
  }

  async root(admin: Person) {
    return this.append(admin, {
      kind: 'root',
      userId: admin.userId,
      roles: ['administrator'],
      keys: admin.keys,
    });
  }
}
