import { Alert, TextInput } from '@mantine/core';

/**
 * What a sign-in, a joining computer or a restore asks besides the passphrase when the member has
 * a second factor: the authenticator app's code, or a touch of the security key. `also` says the
 * factor is part of what opens the member's keys (joining, restoring), not only of signing in.
 */
export function SecondFactorAsk(props: {
  askCode: boolean;
  touchKey: boolean;
  code: string;
  onCode: (code: string) => void;
  also?: boolean;
  required?: boolean;
}) {
  return (
    <>
      {props.askCode && (
        <TextInput
          label="Code from your authenticator app"
          description={
            props.also
              ? 'Your keys also need the 6 digits the app on your phone shows now.'
              : 'The 6 digits the app on your phone shows now.'
          }
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={7}
          value={props.code}
          onChange={(e) => props.onCode(e.currentTarget.value)}
          required={props.required}
          autoFocus
        />
      )}
      {props.touchKey && (
        <Alert color="blue" role="status" title="Use your security key">
          {props.also
            ? 'Your keys also need the security key you added. Touch it now'
            : 'Touch your security key now'}{' '}
          (or use this computer’s fingerprint or face sign-in if that is the key you added).
        </Alert>
      )}
    </>
  );
}
