/**
 * The enrollment code an administrator gives the next computer, with everything that computer
 * needs: the server's address, and the join code carrying both (renderer/sync/join-code.ts) as
 * text to copy and as a QR code for a tablet's camera.
 */
import { Alert, Button, CopyButton, Group, Image, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { formatJoinCode } from '../../sync/join-code';
import { formatTime } from '../../app/format';
import { isLoopback } from '../../sync/server-address';

export function EnrollmentCodeCard({
  serverUrl,
  code,
}: {
  serverUrl: string;
  code: { code: string; expiresAt: string };
}) {
  const joinCode = formatJoinCode({ serverUrl, code: code.code });
  const [qr, setQr] = useState<string>();
  useEffect(() => {
    let current = true;
    // qrcode loads when a code is first shown (issue 20).
    void import('qrcode')
      .then(({ default: QRCode }) =>
        QRCode.toString(joinCode, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
      )
      .then(
        (svg) => current && setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`),
      );
    return () => {
      current = false;
    };
  }, [joinCode]);
  return (
    <Alert
      color="teal"
      mt="md"
      title="Enrollment code for the next computer"
      role="region"
      aria-label="Enrollment code for the next computer"
    >
      <Group align="flex-start" gap="lg" wrap="wrap">
        <Stack gap={6} style={{ flex: '1 1 320px' }}>
          <Text size="sm">
            On the new computer choose “Join a clinic” and paste this join code (or scan the QR code
            with a tablet’s camera and paste what it shows). Valid once, until{' '}
            {formatTime(code.expiresAt)}.
          </Text>
          <Group gap="xs" wrap="nowrap">
            <Text
              ff="monospace"
              fw={700}
              size="sm"
              aria-label="Join code"
              style={{ overflowWrap: 'anywhere' }}
            >
              {joinCode}
            </Text>
            <CopyButton value={joinCode}>
              {({ copied, copy }) => (
                <Button size="xs" variant="default" onClick={copy}>
                  {copied ? 'Copied' : 'Copy join code'}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Text size="sm">
            Or type them separately — server address: <strong>{serverUrl}</strong>, enrollment code:{' '}
            <Text span ff="monospace" fw={700} size="lg" aria-label="Enrollment code">
              {code.code}
            </Text>
          </Text>
          {isLoopback(new URL(serverUrl)) && (
            <Text size="sm" fw={600}>
              This computer reaches the server at its own address, which other computers cannot use.
              Give them the server’s https:// address instead (see “Set up sync for your clinic”),
              or connect this computer with that address.
            </Text>
          )}
        </Stack>
        {qr && <Image src={qr} w={168} h={168} alt={`QR code of the join code ${joinCode}`} />}
      </Group>
    </Alert>
  );
}
