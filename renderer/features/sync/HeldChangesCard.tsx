/**
 * Settings → Clinic server: changes from other computers that wait to be applied (hold and retry,
 * renderer/db/sync-held.ts), each with why in plain words. Nothing here is lost or needs action
 * unless the words say so: every one is tried again on each sync.
 */
import { Card, List, Text, Title } from '@mantine/core';
import type { HeldBundle } from '../../db/sync-held';
import { heldCount } from '../../db/sync-held';
import { useHeldChanges } from './use-sync-status';

/** One line per reason within a bundle: "2 changes: <why>". */
function linesOf(h: HeldBundle): { key: string; text: string }[] {
  if (h.whole) return [{ key: h.bundleId, text: h.whole.message }];
  const byMessage = new Map<string, number>();
  for (const c of h.changes ?? []) byMessage.set(c.message, (byMessage.get(c.message) ?? 0) + 1);
  return [...byMessage].map(([message, n]) => ({
    key: `${h.bundleId}|${message}`,
    text: `${n} change${n === 1 ? '' : 's'}: ${message}`,
  }));
}

export function HeldChangesCard() {
  const held = useHeldChanges();
  if (held.length === 0) return null;
  const n = heldCount(held);
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="held-title">
      <Title order={3} size="h4" id="held-title" mb="xs">
        Waiting to be applied
      </Title>
      <Text size="sm" mb="xs">
        {n} change{n === 1 ? '' : 's'} from other computers cannot be applied on this computer yet.
        {n === 1 ? ' It is' : ' They are'} kept here and tried again at every sync, so nothing is
        lost.
      </Text>
      <List size="sm" spacing="xs">
        {held.flatMap((h) =>
          linesOf(h).map((l) => (
            <List.Item key={l.key}>
              Since {new Date(h.heldAt).toLocaleString()} — {l.text}
              {h.tries > 0 ? ` (tried again ${h.tries} time${h.tries === 1 ? '' : 's'})` : ''}
            </List.Item>
          )),
        )}
      </List>
    </Card>
  );
}
