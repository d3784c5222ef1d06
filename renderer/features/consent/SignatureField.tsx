import { Box, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import SignaturePad from 'signature_pad';
import type { SignedConsentBody, User } from '../../../shared/model';
import {
  signerWithRole,
  signingRole,
  staffSignerName,
} from '../../../shared/rules/consent-signers';
import { useStore } from '../../app/app-state';
import { formatDateTime } from '../../app/format';
import { type ConfirmedSigner, isSignerConfirmed } from '../../db/consent-signers';
import { SIGNER_LABELS } from './consent-labels';
import { SignerConfirmDialog } from './SignerConfirmDialog';

export type CapturedSignature = SignedConsentBody['signatures'][number];
type Role = CapturedSignature['role'];

/**
 * One signer's block: a drawing pad (signature_pad handles pointer, touch and mouse) and who
 * signs. The patient signs under their charted name; a witness or clinician is a staff member
 * chosen from the clinic's users who confirms with their own passphrase. Reports a signature only
 * when both ink and a confirmed signer are there.
 */
export function SignatureField(props: {
  role: Role;
  /** Distinguishes fields of the same role on different forms (accessible names stay unique). */
  formTitle: string;
  /** The patient's name as charted (the patient's signature carries it). */
  patientName: string;
  /** Staff who may sign in this place (eligibleSigners); ignored for the patient. */
  staff?: User[];
  /** Preselected staff member (e.g. the signed-in clinician). */
  defaultUserId?: string;
  value?: CapturedSignature;
  onChange: (signature: CapturedSignature | undefined) => void;
  /** Larger pad and type for patient mode. */
  large?: boolean;
}) {
  const store = useStore();
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePad>(null);
  const isPatient = props.role === 'patient';
  const [userId, setUserId] = useState<string | null>(
    props.value?.userId ??
      (props.staff?.some((u) => u.id === props.defaultUserId) ? props.defaultUserId! : null),
  );
  const [confirmed, setConfirmed] = useState<ConfirmedSigner>();
  const [confirming, setConfirming] = useState(false);
  const [ink, setInk] = useState<{ image: string; at: string } | undefined>(
    props.value && { image: props.value.image, at: props.value.signedAt },
  );
  const label = `${SIGNER_LABELS[props.role]} signature`;
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  const chosen = props.staff?.find((u) => u.id === userId);

  useEffect(() => {
    const el = canvas.current!;
    // Draw at the screen's pixel density so the stored PNG is sharp when printed.
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    el.width = el.offsetWidth * ratio;
    el.height = el.offsetHeight * ratio;
    el.getContext('2d')!.scale(ratio, ratio);
    const p = new SignaturePad(el, { penColor: '#14205a', minWidth: 0.8, maxWidth: 2.6 });
    if (props.value) void p.fromDataURL(props.value.image, { ratio: 1 });
    p.addEventListener('endStroke', () =>
      setInk({ image: p.toDataURL('image/png'), at: new Date().toISOString() }),
    );
    pad.current = p;
    return () => p.off();
    // The pad is made once per field; later value changes come from the pad itself.
  }, []);

  // A colleague who confirmed a moment ago (another form of this packet) need not type again.
  useEffect(() => {
    if (isPatient || !chosen) return setConfirmed(undefined);
    const staffRole = signingRole(chosen, props.role);
    if (staffRole && isSignerConfirmed(store, chosen.id))
      setConfirmed({ userId: chosen.id, name: staffSignerName(chosen), staffRole });
    else setConfirmed(undefined);
  }, [store, chosen, isPatient, props.role]);

  useEffect(() => {
    const base = ink && { role: props.role, signedAt: ink.at, image: ink.image };
    if (!base) return onChange.current(undefined);
    if (isPatient) return onChange.current({ ...base, name: props.patientName });
    onChange.current(confirmed ? { ...base, ...confirmed } : undefined);
  }, [ink, confirmed, isPatient, props.role, props.patientName]);

  const clear = () => {
    pad.current?.clear();
    setInk(undefined);
  };
  const padHeight = props.large ? 220 : 150;

  return (
    <Stack gap={6}>
      <Text fw={600} size={props.large ? 'lg' : 'sm'}>
        {label}
      </Text>
      <Box
        style={{
          border: '1px solid var(--mantine-color-gray-6)',
          borderRadius: 6,
          background: 'white',
        }}
      >
        <canvas
          ref={canvas}
          role="img"
          aria-label={`${label} for ${props.formTitle}: draw with a mouse, finger or pen`}
          style={{ width: '100%', height: padHeight, display: 'block', touchAction: 'none' }}
        />
      </Box>
      <Group justify="space-between" align="flex-end">
        {isPatient ? (
          <TextInput
            label="Signed by (the patient)"
            aria-label={`${SIGNER_LABELS[props.role]} name for ${props.formTitle}`}
            value={props.patientName}
            readOnly
            size={props.large ? 'md' : 'sm'}
            w={280}
          />
        ) : (
          <Group align="flex-end" gap="xs">
            <Select
              label={`${SIGNER_LABELS[props.role]} (staff member)`}
              aria-label={`${SIGNER_LABELS[props.role]} for ${props.formTitle}`}
              placeholder={props.staff?.length ? 'Choose who signs' : 'No one may sign here'}
              data={(props.staff ?? []).map((u) => ({
                value: u.id,
                label: signerWithRole({
                  name: staffSignerName(u),
                  staffRole: signingRole(u, props.role),
                }),
              }))}
              value={userId}
              onChange={setUserId}
              w={300}
            />
            {chosen && !confirmed && (
              <Button
                variant="light"
                onClick={() => setConfirming(true)}
                // the visible words lead the name (WCAG 2.5.3, label in name)
                aria-label={`Confirm with passphrase: ${chosen.displayName} as ${props.role} for ${props.formTitle}`}
              >
                Confirm with passphrase
              </Button>
            )}
          </Group>
        )}
        <Text size="sm" aria-live="polite">
          {!isPatient && chosen && !confirmed
            ? `${chosen.displayName} has not confirmed yet`
            : ink
              ? `Signed ${formatDateTime(ink.at)}${confirmed ? ` · confirmed: ${signerWithRole(confirmed)}` : ''}`
              : 'Not signed yet'}
        </Text>
        <Button
          variant="default"
          size="xs"
          onClick={clear}
          aria-label={`Clear ${label.toLowerCase()} for ${props.formTitle}`}
        >
          Clear
        </Button>
      </Group>
      {chosen && !isPatient && (
        <SignerConfirmDialog
          opened={confirming}
          user={chosen}
          place={props.role as Exclude<Role, 'patient'>}
          onClose={() => setConfirming(false)}
          onConfirmed={setConfirmed}
        />
      )}
    </Stack>
  );
}
