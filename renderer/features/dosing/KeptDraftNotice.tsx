import { Alert } from '@mantine/core';
import { formatDateTime } from '../../app/format';

/** Says that unsaved input was kept and offered back (useValueDraft). */
export function KeptDraftNotice({ at }: { at?: string }) {
  if (!at) return null;
  return (
    <Alert color="blue" role="status" mb="sm">
      What you typed on {formatDateTime(at)} was kept and is not saved yet — review it and save.
    </Alert>
  );
}
