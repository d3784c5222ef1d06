import {
  Anchor,
  Badge,
  Card,
  Group,
  Image,
  Loader,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useLocation } from 'wouter';
import { patientDisplayName } from '../../../shared/model';
import { formatDateTime } from '../../app/format';
import { useRecord } from '../../app/use-records';
import { FormText } from './FormText';
import { SIGNER_LABELS } from './consent-labels';
import { WithdrawConsent } from './WithdrawConsent';

/** One signed consent exactly as stored: the text the patient signed, not today's template. */
export function SignedConsentScreen({ consentId }: { consentId: string }) {
  const consent = useRecord('signed-consent', consentId);
  const patient = useRecord('patient', consent?.patientId);
  const [, navigate] = useLocation();
  if (consent === undefined) return <Loader aria-label="Opening signed consent" />;
  if (consent === null) return <Text>That signed consent could not be found.</Text>;

  return (
    <Stack gap="md" maw={900}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{consent.title}</Title>
          <Text>
            {patient ? patientDisplayName(patient) : ''} · version {consent.templateVersion} ·
            signed {formatDateTime(consent.signedAt)}
          </Text>
        </div>
        <Anchor component="button" onClick={() => navigate(`/patients/${consent.patientId}`)}>
          Back to chart
        </Anchor>
      </Group>
      {consent.status === 'entered-in-error' && (
        <Badge color="red" variant="light">
          Entered in error
        </Badge>
      )}
      {consent.revokes && (
        <Badge color="red" variant="light">
          Revocation
        </Badge>
      )}
      <Card withBorder padding="lg" component="section" aria-label="Signed text">
        <FormText text={consent.renderedText} />
      </Card>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {consent.signatures.map((s) => (
          <Card key={s.role} withBorder padding="sm">
            <Image
              src={s.image}
              alt={`${SIGNER_LABELS[s.role]} signature of ${s.name}`}
              h={90}
              fit="contain"
            />
            <Text size="sm" fw={600}>
              {s.name}
            </Text>
            <Text size="sm">
              {SIGNER_LABELS[s.role]} · {formatDateTime(s.signedAt)}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      {patient && (
        <WithdrawConsent
          consent={consent}
          patientName={`${patient.firstName} ${patient.lastName}`}
        />
      )}
      <Text size="xs" style={{ wordBreak: 'break-all' }}>
        Device {consent.deviceId} · content hash {consent.contentHash}
      </Text>
    </Stack>
  );
}
