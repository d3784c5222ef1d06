/**
 * Header reminder for administrators while the clinic has no recovery key (from the first day
 * after setup): without one, a forgotten passphrase cannot be reset (SYNC.md rule 14).
 */
import { Button } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useLocation } from 'wouter';
import { useStore } from '../../app/app-state';
import { readRecoveryHolder } from '../../sync/clinic-keys';
import { onKeysChanged } from './key-events';

export function RecoveryKeyNudge() {
  const store = useStore();
  const [location, navigate] = useLocation();
  const [missing, setMissing] = useState(false);
  const isAdmin = store.roles.includes('administrator');
  useEffect(() => {
    if (!isAdmin) return;
    const check = () => void readRecoveryHolder(store.db).then((h) => setMissing(!h));
    check();
    return onKeysChanged(check);
  }, [store, isAdmin, location]);
  if (!isAdmin || !missing) return null;
  return (
    <Button
      size="xs"
      variant="light"
      color="orange"
      title="Without a recovery key, a forgotten passphrase cannot be reset. Create it in Settings → Clinic server."
      onClick={() => navigate('/settings')}
    >
      No recovery key yet
    </Button>
  );
}
