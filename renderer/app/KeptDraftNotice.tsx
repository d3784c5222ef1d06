import { Alert } from '@mantine/core';
import { formatDateTime } from './format';

/** Says that unsaved input was kept and offered back (useValueDraft, useFormDraft). */
export function KeptDraftNotice({
  at,
  then = 'review it and save',
}: {
  at?: string;
  then?: string;
}) {
  if (!at) return null;
  return (
    <Alert color="blue" role="status" mb="sm">
      What you typed on {formatDateTime(at)} was kept and is not saved yet — {then}.
    </Alert>
  );
}
