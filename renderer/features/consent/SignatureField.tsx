import { Box, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import SignaturePad from 'signature_pad';
import type { SignedConsentBody } from '../../../shared/model';
import { formatDateTime } from '../../app/format';
import { SIGNER_LABELS } from './consent-labels';

export type CapturedSignature = SignedConsentBody['signatures'][number];
type Role = CapturedSignature['role'];

/**
 * One signer's block: a drawing pad (signature_pad handles pointer, touch and mouse), their typed
 * name and the time they signed. Reports a signature only when both ink and name are there.
 */
export function SignatureField(props: {
  role: Role;
  /** Distinguishes fields of the same role on different forms (accessible names stay unique). */
  formTitle: string;
  defaultName: string;
  value?: CapturedSignature;
  onChange: (signature: CapturedSignature | undefined) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePad>(null);
  const [name, setName] = useState(props.value?.name ?? props.defaultName);
  const [ink, setInk] = useState<{ image: string; at: string } | undefined>(
    props.value && { image: props.value.image, at: props.value.signedAt },
  );
  const label = `${SIGNER_LABELS[props.role]} signature`;
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;

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

  useEffect(() => {
    onChange.current(
      ink && name.trim()
        ? { role: props.role, name: name.trim(), signedAt: ink.at, image: ink.image }
        : undefined,
    );
  }, [ink, name, props.role]);

  const clear = () => {
    pad.current?.clear();
    setInk(undefined);
  };

  return (
    <Stack gap={6}>
      <Text fw={600} size="sm">
        {label}
      </Text>
      <Box
        style={{
          border: '1px solid var(--mantine-color-gray-5)',
          borderRadius: 6,
          background: 'white',
        }}
      >
        <canvas
          ref={canvas}
          role="img"
          aria-label={`${label} for ${props.formTitle}: draw with a mouse, finger or pen`}
          style={{ width: '100%', height: 150, display: 'block', touchAction: 'none' }}
        />
      </Box>
      <Group justify="space-between" align="flex-end">
        <TextInput
          label={`${SIGNER_LABELS[props.role]} name (typed)`}
          aria-label={`${SIGNER_LABELS[props.role]} name for ${props.formTitle}`}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          w={280}
        />
        <Text size="sm" aria-live="polite">
          {ink ? `Signed ${formatDateTime(ink.at)}` : 'Not signed yet'}
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
    </Stack>
  );
}
