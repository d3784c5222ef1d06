/**
 * "Name of this computer", asked when a computer joins or connects the clinic (issue 19 point 7):
 * the administrator's list of computers shows it, so the lost laptop can be told from the others.
 * Starts with the computer's own name on the desktop, "Firefox on Windows" in a browser
 * (renderer/sync/device-profile.ts), or the name it already has.
 */
import { TextInput } from '@mantine/core';
import { useEffect } from 'react';
import { db } from '../../app/app-state';
import { platform } from '../../platform';
import {
  MAX_COMPUTER_NAME,
  checkComputerName,
  defaultComputerName,
  readComputerName,
} from '../../sync/device-profile';

/** The name this computer would be offered: the one it has, else what it calls itself. */
export async function suggestedComputerName(): Promise<string> {
  const saved = await readComputerName(db).catch(() => undefined);
  if (saved) return saved;
  const info = await platform.appInfo().catch(() => undefined);
  return defaultComputerName(
    info?.ok ? info.value.computerName : undefined,
    globalThis.navigator?.userAgent ?? '',
  );
}

/** Fills `onChange` once with the suggestion, unless something was typed already. */
export function useSuggestedComputerName(fill: (name: string) => void) {
  useEffect(() => {
    void suggestedComputerName().then(fill);
  }, [fill]);
}

export function ComputerNameInput({
  value,
  onChange,
  showError,
}: {
  value: string;
  onChange: (name: string) => void;
  /** After a submit: the field says what is wrong with the name. */
  showError: boolean;
}) {
  const checked = checkComputerName(value);
  return (
    <TextInput
      label="Name of this computer"
      description="How it appears in the clinic’s list of computers, e.g. “Front desk” or “Dr Lee’s laptop”."
      value={value}
      maxLength={MAX_COMPUTER_NAME + 20}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={showError && 'error' in checked ? checked.error : undefined}
      autoComplete="off"
      required
    />
  );
}
