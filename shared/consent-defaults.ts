/**
 * The default consent forms and packets that ship with KAT Chart (resources/consent-templates),
 * parsed with the same schemas as stored records, so a bad edit to the JSON fails a test, not a
 * clinic. A clinic's first setup stores these as version 1 of each template.
 */
import atHome from '../resources/consent-templates/at-home-treatment-agreement.json';
import esketamine from '../resources/consent-templates/esketamine-rems-acknowledgement.json';
import financial from '../resources/consent-templates/financial-policy.json';
import informed from '../resources/consent-templates/kat-informed-consent.json';
import npp from '../resources/consent-templates/npp-acknowledgement.json';
import packets from '../resources/consent-templates/packets.json';
import recording from '../resources/consent-templates/recording-consent.json';
import telehealth from '../resources/consent-templates/telehealth-consent.json';
import transport from '../resources/consent-templates/transport-escort-agreement.json';
import { ConsentTemplateBody } from './model/consent';
import { ConsentPacketDefinition } from './rules/packets';
import { parseFormText } from './print/text';

const TEMPLATES = [informed, esketamine, atHome, telehealth, transport, npp, financial, recording];

/** Fresh copies each call: callers may store or edit them. */
export function defaultConsentTemplates(): ConsentTemplateBody[] {
  return TEMPLATES.map((t) => ConsentTemplateBody.parse(t));
}

/**
 * A newer shipped version to store over a clinic's template: only when the clinic's newest version
 * is the shipped one just before it, never edited, and the new one only adds fields (the escort's
 * name and phone, initials). A clinic that edited its form keeps its own text.
 */
export function shippedUpgrade(
  stored: ConsentTemplateBody,
  shipped: ConsentTemplateBody,
): ConsentTemplateBody | undefined {
  if (shipped.templateKey !== stored.templateKey || shipped.version !== stored.version + 1)
    return undefined;
  const text = (body: string) =>
    JSON.stringify(parseFormText(body).filter((b) => b.kind !== 'field'));
  const same =
    text(stored.body) === text(shipped.body) &&
    stored.title === shipped.title &&
    JSON.stringify(stored.signers) === JSON.stringify(shipped.signers) &&
    stored.validity === shipped.validity &&
    !stored.retired &&
    (stored.fields ?? []).length === 0;
  return same ? { ...shipped, programs: stored.programs } : undefined;
}

export function defaultConsentPackets(): ConsentPacketDefinition[] {
  return ConsentPacketDefinition.array().parse(packets);
}
