/**
 * Welcome screen: a new computer joins a clinic that already syncs through a clinic server. After
 * the code is accepted it shows a fingerprint of the clinic and of this computer, and waits until
 * an administrator, seeing the same digits on their screen, confirms it (renderer/sync/connect.ts).
 * The join code from the administrator's screen fills in the server address and the enrollment
 * code (renderer/sync/join-code.ts); both can also be typed. The address starts empty unless the
 * server runs on this very computer.
 */
import {
  Alert,
  Button,
  Card,
  Group,
  Loader,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { db, signIn } from '../../app/app-state';
import { errorMessage } from '../../app/format';
import {
  type JoinPending,
  finishJoin,
  joinConfirmed,
  readJoin,
  startJoin,
} from '../../sync/connect';
import { type FactorProof, FactorNeededError } from '../../db/second-factor';
import { askSecurityKey } from '../../platform/webauthn';
import { looksLikeJoinCode, parseJoinCode } from '../../sync/join-code';
import { platformKeychain } from '../../sync/platform-keychain';
import { checkComputerName, writeComputerName } from '../../sync/device-profile';
import { ComputerNameInput, useSuggestedComputerName } from './ComputerNameInput';
import { useLocalServer } from './use-local-server';
import { SecondFactorAsk } from '../settings/SecondFactorAsk';

const POLL_MS = 2_000;

const KEY_NOT_USED =
  'Your keys were not fetched and nothing changed on this computer. If the key is lost: on a ' +
  'computer of the clinic that already syncs, choose “Forgot passphrase?” and use the clinic ' +
  'recovery key, then come back here.';

export function JoinClinicCard() {
  const [form, setForm] = useState({ serverUrl: '', code: '', username: '', passphrase: '' });
  const [joinCode, setJoinCode] = useState('');
  const [computerName, setComputerName] = useState('');
  const [nameTried, setNameTried] = useState(false);
  useSuggestedComputerName(useCallback((n: string) => setComputerName((typed) => typed || n), []));
  useLocalServer(
    useCallback((url: string) => setForm((f) => (f.serverUrl ? f : { ...f, serverUrl: url })), []),
  );
  const pasteJoinCode = (text: string) => {
    setJoinCode(text);
    const parsed = parseJoinCode(text);
    if (parsed) setForm((f) => ({ ...f, ...parsed }));
  };
  const joinCodeError =
    joinCode.trim() && !parseJoinCode(joinCode)
      ? looksLikeJoinCode(joinCode)
        ? 'This join code is incomplete. Copy the whole line (it starts with KAT-JOIN) again.'
        : 'This is not a join code: a join code starts with KAT-JOIN. Or type the server address and enrollment code below.'
      : undefined;
  const [pending, setPending] = useState<JoinPending>();
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  // A join interrupted by a reload resumes at the comparison.
  useEffect(() => {
    void readJoin(db).then((p) => p && setPending(p));
  }, []);

  useEffect(() => {
    if (!pending || confirmed) return;
    let stop = false;
    const check = async () => {
      try {
        if (await joinConfirmed(db, platformKeychain)) setConfirmed(true);
      } catch (e) {
        if (!stop) setError(errorMessage(e));
      }
    };
    void check();
    const timer = setInterval(() => void check(), POLL_MS);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [pending, confirmed]);

  const field = (k: keyof typeof form) => ({
    value: form[k],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) =>
      setForm({ ...form, [k]: e.currentTarget.value }),
    required: true,
  });

  // A member with a second factor is asked for it once the passphrase is right
  // (renderer/db/second-factor.ts, kekForJoin): a security key is touched once, for the keys and
  // the sign-in that follows; an app code is typed into the field that then appears.
  const [touchKey, setTouchKey] = useState(false);
  const [askCode, setAskCode] = useState(false);
  const [code, setCode] = useState('');

  const finish = async (given?: FactorProof) => {
    setBusy(true);
    setError(undefined);
    let proof: FactorProof | undefined =
      given ?? (askCode && code.trim() ? { kind: 'authenticator-app', code } : undefined);
    try {
      try {
        await finishJoin(db, platformKeychain, { ...form, proof });
      } catch (e) {
        if (!(e instanceof FactorNeededError) || proof) throw e;
        if (e.prompt.kind === 'authenticator-app') {
          setAskCode(true);
          setBusy(false);
          return;
        }
        setTouchKey(true);
        const used = await askSecurityKey(e.prompt)
          .catch((keyError: unknown) => {
            throw new Error(`${errorMessage(keyError)} ${KEY_NOT_USED}`);
          })
          .finally(() => setTouchKey(false));
        proof = { kind: 'security-key', ...used };
        await finishJoin(db, platformKeychain, { ...form, proof });
      }
      await signIn(form.username, form.passphrase, proof);
    } catch (e) {
      setError(errorMessage(e));
      setCode('');
      setBusy(false);
    }
  };

  // Once confirmed, go on by itself when the sign-in details are already typed.
  useEffect(() => {
    if (confirmed && form.username && form.passphrase && !busy && !error) void finish();
  }, [confirmed]);

  const start = async () => {
    setNameTried(true);
    const named = checkComputerName(computerName);
    if ('error' in named) return;
    setBusy(true);
    setError(undefined);
    try {
      await writeComputerName(db, named.name);
      setPending(await startJoin(db, platformKeychain, form));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="xl" component="section" aria-labelledby="join-title">
      <Title order={2} size="h3" id="join-title" mb="xs">
        Join a clinic
      </Title>
      {!pending ? (
        <>
          <Text size="sm" mb="md">
            This computer becomes another device of a clinic that already syncs. Ask an
            administrator for a join code (Settings → Clinic server → Create enrollment code, on
            their computer).
          </Text>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void start();
            }}
          >
            <Stack gap="sm">
              <TextInput
                label="Join code"
                description="Paste the line that starts with KAT-JOIN: it fills in the two fields below."
                placeholder="KAT-JOIN https://… XXXX-XXXX-XXXX"
                value={joinCode}
                onChange={(e) => pasteJoinCode(e.currentTarget.value)}
                error={joinCodeError}
                autoComplete="off"
              />
              <TextInput
                label="Clinic server address"
                placeholder="https://kat-server.lan"
                {...field('serverUrl')}
              />
              <TextInput label="Enrollment code" placeholder="XXXX-XXXX-XXXX" {...field('code')} />
              <ComputerNameInput
                value={computerName}
                onChange={setComputerName}
                showError={nameTried}
              />
              <TextInput label="Your sign-in name" autoComplete="username" {...field('username')} />
              <PasswordInput
                label="Your passphrase"
                autoComplete="current-password"
                {...field('passphrase')}
              />
              {error && (
                <Alert color="red" role="alert">
                  {error}
                </Alert>
              )}
              <Button type="submit" loading={busy}>
                Join clinic
              </Button>
            </Stack>
          </form>
        </>
      ) : (
        <Stack gap="sm">
          {pending.fingerprint && (
            <>
              <Text size="sm">
                Compare these numbers with the administrator’s screen (Settings → Clinic server,
                “Computers waiting to join”). They confirm this computer only if the numbers are the
                same; this screen then goes on by itself.
              </Text>
              <Text
                size="xl"
                fw={700}
                ff="monospace"
                aria-label="Fingerprint of this computer"
                data-testid="join-fingerprint"
              >
                {pending.fingerprint}
              </Text>
              <Text size="xs">
                If the numbers differ, do not go on: someone may be between this computer and the
                clinic server. Tell your administrator.
              </Text>
              {!confirmed && (
                <Group gap="xs" role="status">
                  <Loader size="xs" />
                  <Text size="sm">Waiting for an administrator to confirm this computer…</Text>
                </Group>
              )}
            </>
          )}
          {(confirmed || !pending.fingerprint) && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void finish();
              }}
            >
              <Stack gap="sm">
                <Text size="sm" role="status">
                  {pending.fingerprint
                    ? 'An administrator confirmed this computer.'
                    : 'This computer is enrolled.'}{' '}
                  Sign in to fetch your keys and the clinic’s records.
                </Text>
                <TextInput
                  label="Your sign-in name"
                  autoComplete="username"
                  {...field('username')}
                />
                <PasswordInput
                  label="Your passphrase"
                  autoComplete="current-password"
                  {...field('passphrase')}
                />
                <SecondFactorAsk
                  askCode={askCode}
                  touchKey={touchKey}
                  code={code}
                  onCode={setCode}
                  also
                  required
                />
                <Button type="submit" loading={busy}>
                  Fetch keys and records
                </Button>
              </Stack>
            </form>
          )}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
        </Stack>
      )}
    </Card>
  );
}
