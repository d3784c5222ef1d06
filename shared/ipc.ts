/**
 * The one contract between the renderer and the desktop shell (STYLE.md §2). Each channel has a zod
 * schema for its request and its response; the Electron main process and browser mode
 * (renderer/platform/browser) both parse requests with these schemas, so a bad request gets the same
 * plain-words error in both. Nothing here throws across the bridge: every answer is an IpcResult.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Results

export const IPC_ERROR_CODES = [
  'invalid-request',
  'not-available',
  'untrusted-sender',
  'print-failed',
  'write-failed',
  'open-failed',
  'keychain-unavailable',
  'keychain-unreadable',
  'backup-folder-not-set',
  'backup-folder-unreachable',
  'internal',
] as const;
export const IpcErrorCode = z.enum(IPC_ERROR_CODES);
export type IpcErrorCode = z.infer<typeof IpcErrorCode>;

export const IpcError = z.object({ code: IpcErrorCode, message: z.string().min(1) });
export type IpcError = z.infer<typeof IpcError>;

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export function ipcResultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: IpcError }),
  ]);
}

export const ipcOk = <T>(value: T): IpcResult<T> => ({ ok: true, value });
export const ipcError = <T = never>(code: IpcErrorCode, message: string): IpcResult<T> => ({
  ok: false,
  error: { code, message },
});

// ---------------------------------------------------------------------------------------------
// Building blocks

const MB = 1024 * 1024;
export const MAX_PDF_BYTES = 200 * MB;
export const MAX_FILE_BYTES = 1024 * MB;

/** By tag, not instanceof: bytes may come from another realm (a frame, the IPC bridge, jsdom). */
const isUint8Array = (v: unknown): v is Uint8Array =>
  ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === '[object Uint8Array]';

const fileBytes = (what: string, maxBytes: number) =>
  z
    .custom<Uint8Array>(isUint8Array, { error: `${what} is missing` })
    .refine((b) => b.byteLength > 0, { error: `${what} is empty` })
    .refine((b) => b.byteLength <= maxBytes, {
      error: `${what} is larger than ${maxBytes / MB} MB and cannot be handled in one piece`,
    });

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-", ISO 32000-1 §7.5.2 file header
const pdfBytes = fileBytes('The PDF', MAX_PDF_BYTES).refine(
  (b) => PDF_MAGIC.every((byte, i) => b[i] === byte),
  { error: 'This is not a PDF file; nothing was printed or saved' },
);

/** Characters no file system accepts in a name, plus control characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const UNSAFE_NAME_CHARS = /[/\\:*?"<>|\u0000-\u001f\u007f]/g;

/** A name offered in a Save dialog: made safe rather than refused, since the person can edit it. */
const SuggestedName = z
  .string({ error: 'A file name is missing' })
  .trim()
  .min(1, 'A file name is missing')
  .max(200, 'The file name is longer than 200 characters')
  .transform((name) => name.replace(UNSAFE_NAME_CHARS, '-').replace(/^[.\s]+/, '') || 'document');

const withExtension = (name: string, extension: string) =>
  name.toLowerCase().endsWith(`.${extension}`) ? name : `${name}.${extension}`;

export const FileType = z.object({
  label: z.string().trim().min(1, 'Say what kind of file this is').max(60),
  extension: z
    .string()
    .regex(/^[a-z0-9]{1,12}$/, 'A file extension is lowercase letters or digits, without a dot'),
  mimeType: z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/, 'The file type is not a valid MIME type'),
});
export type FileType = z.infer<typeof FileType>;

/**
 * A link the OS may open: http or https only, checked on the parsed URL (never by substring), and
 * without a user name or password, whose only use in a link is to disguise the real host
 * (`https://trusted.example@evil.example`).
 */
export const ExternalUrl = z
  .url({
    protocol: /^https?$/,
    normalize: true,
    error: 'Only web links (http or https) can be opened',
  })
  .refine((href) => !hasCredentials(href), {
    error: 'Links that contain a user name or password are not opened',
  });

/** In a normalized http(s) href, the authority runs to the first "/" and "@" only ends userinfo. */
function hasCredentials(normalizedHref: string): boolean {
  const afterScheme = normalizedHref.slice(normalizedHref.indexOf('//') + 2);
  const end = afterScheme.indexOf('/');
  return (end === -1 ? afterScheme : afterScheme.slice(0, end)).includes('@');
}

/** Lowercase only: keychain names become file names, and macOS/Windows ignore case. */
export const KeychainName = z
  .string({ error: 'The keychain entry has no name' })
  .regex(
    /^[a-z0-9][a-z0-9.-]{0,62}$/,
    'A keychain entry name is 1–63 lowercase letters, digits, dots or dashes',
  );

export const KEYCHAIN_BACKENDS = [
  'macos-keychain',
  'windows-dpapi',
  'gnome_libsecret',
  'kwallet',
  'kwallet5',
  'kwallet6',
  'basic_text',
  'unknown',
  'browser-profile',
] as const;
export const KeychainBackend = z.enum(KEYCHAIN_BACKENDS);
export type KeychainBackend = z.infer<typeof KeychainBackend>;

/** Which protection the secrets have, and a plain-words warning when it is weak. */
const KeychainStatus = { backend: KeychainBackend, warning: z.string().nullable() };

/** Written without a dialog, so refused (not repaired) when it could escape the chosen folder. */
export const BackupFileName = z
  .string({ error: 'The backup has no file name' })
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,150}$/,
    'A backup file name uses letters, digits, spaces, dots, dashes and underscores only',
  )
  .refine((name) => !name.includes('..'), { error: 'A backup file name cannot contain ".."' })
  .refine((name) => !/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(name), {
    error: 'That file name is reserved by Windows; choose another',
  });

const noRequest = z.undefined({ error: 'This request takes no details' });
const request = <T extends z.ZodRawShape>(shape: T) =>
  z.object(shape, { error: 'The request has no details' });

const SaveOutcome = z.discriminatedUnion('outcome', [
  /** The person chose where; fileName is the name only, not the folder. */
  z.object({ outcome: z.literal('saved'), fileName: z.string() }),
  /** Browser mode: handed to the browser's downloads, which decides the folder. */
  z.object({ outcome: z.literal('downloaded'), fileName: z.string() }),
  z.object({ outcome: z.literal('cancelled') }),
]);

// ---------------------------------------------------------------------------------------------
// The channel map

export const ipcContract = {
  'app:info': {
    method: 'appInfo',
    request: noRequest,
    response: z.object({
      name: z.string(),
      version: z.string(),
      /** Node's platform name ('darwin', 'win32', 'linux') or 'browser'. No paths: not needed. */
      platform: z.string(),
      /**
       * The computer's own name (desktop: its host name), offered as its name in the clinic's list
       * of computers; absent in a browser, which cannot know it.
       */
      computerName: z.string().max(255).optional(),
      /** What this shell can do, so screens can hide what is not there. */
      features: z.object({ backupFolder: z.boolean() }),
    }),
  },
  'print:pdf': {
    method: 'printPdf',
    request: request({
      bytes: pdfBytes,
      title: z.string({ error: 'The print job has no title' }).trim().min(1).max(200),
    }),
    /** opened: shown in a PDF viewer (browser tab or the OS's app), to be printed from there. */
    response: z.object({ outcome: z.enum(['printed', 'cancelled', 'opened']) }),
  },
  'file:save-pdf': {
    method: 'savePdf',
    request: request({ bytes: pdfBytes, suggestedName: SuggestedName }).transform((r) => ({
      ...r,
      suggestedName: withExtension(r.suggestedName, 'pdf'),
    })),
    response: SaveOutcome,
  },
  'file:save': {
    method: 'saveFile',
    request: request({
      bytes: fileBytes('The file', MAX_FILE_BYTES),
      suggestedName: SuggestedName,
      fileType: FileType,
    }).transform((r) => ({
      ...r,
      suggestedName: withExtension(r.suggestedName, r.fileType.extension),
    })),
    response: SaveOutcome,
  },
  'shell:open-external': {
    method: 'openExternal',
    request: request({ url: ExternalUrl }),
    response: z.object({ opened: z.literal(true) }),
  },
  'keychain:get': {
    method: 'getSecret',
    request: request({ name: KeychainName }),
    response: z.object({ secret: z.string().nullable(), ...KeychainStatus }),
  },
  'keychain:set': {
    method: 'setSecret',
    request: request({
      name: KeychainName,
      secret: z
        .string({ error: 'The secret to keep is missing' })
        .min(1, 'The secret to keep is empty')
        .max(8192, 'The keychain keeps small secrets only (at most 8,192 characters)'),
    }),
    response: z.object(KeychainStatus),
  },
  'keychain:delete': {
    method: 'deleteSecret',
    request: request({ name: KeychainName }),
    response: z.object({ deleted: z.boolean() }),
  },
  'backup:choose-folder': {
    method: 'chooseBackupFolder',
    request: noRequest,
    response: z.discriminatedUnion('outcome', [
      /** The folder is shown to the person who chose it, so that Settings can say where. */
      z.object({ outcome: z.literal('chosen'), folder: z.string() }),
      z.object({ outcome: z.literal('cancelled') }),
    ]),
  },
  'backup:current-folder': {
    method: 'backupFolder',
    request: noRequest,
    response: z.object({ folder: z.string().nullable() }),
  },
  'backup:write-scheduled': {
    method: 'writeScheduledBackup',
    request: request({
      bytes: fileBytes('The backup', MAX_FILE_BYTES),
      fileName: BackupFileName,
      /**
       * After a successful write, keep only this many scheduled backups of the same series
       * (`<name>-auto-backup-<date-time>.katbackup`) in the folder, newest first.
       */
      keep: z
        .number({ error: 'How many backups to keep must be a number' })
        .int('How many backups to keep must be a whole number')
        .min(1, 'Keep at least one backup')
        .max(365, 'Keep at most 365 backups')
        .optional(),
    }),
    response: z.object({
      folder: z.string(),
      fileName: z.string(),
      bytesWritten: z.number(),
      /** Older scheduled backups removed to honour `keep` (names only). */
      pruned: z.array(z.string()),
    }),
  },
} as const;

export type IpcContract = typeof ipcContract;
export type IpcChannel = keyof IpcContract;
export const IPC_CHANNELS = Object.keys(ipcContract) as IpcChannel[];

/** What a caller passes (before parsing) and what a handler receives (after parsing). */
export type IpcRequestInput<C extends IpcChannel> = z.input<IpcContract[C]['request']>;
export type IpcRequest<C extends IpcChannel> = z.output<IpcContract[C]['request']>;
export type IpcResponse<C extends IpcChannel> = z.output<IpcContract[C]['response']>;
/** What every handler and every KatApi method returns for a channel. */
export type IpcReply<C extends IpcChannel> = Promise<IpcResult<IpcResponse<C>>>;

/** Main → renderer notifications, from the application menu. */
export const MENU_COMMANDS = ['print', 'lock'] as const;
export const MenuCommand = z.enum(MENU_COMMANDS);
export type MenuCommand = z.infer<typeof MenuCommand>;
export const MENU_COMMAND_CHANNEL = 'menu:command';

type MethodFor<C extends IpcChannel> = (
  ...args: undefined extends IpcRequestInput<C> ? [] : [request: IpcRequestInput<C>]
) => IpcReply<C>;

/** The object the preload exposes as `window.kat`, and that browser mode implements too. */
export type KatApi = {
  readonly [C in IpcChannel as IpcContract[C]['method']]: MethodFor<C>;
} & {
  /** Calls back when the person picks Print or Lock in the menu; returns the unsubscribe. */
  readonly onMenuCommand: (listener: (command: MenuCommand) => void) => () => void;
};

/**
 * Parses a request with its channel's schema. On failure the first problem is the message: it
 * names what was wrong in words a person can act on.
 */
export function parseIpcRequest<C extends IpcChannel>(
  channel: C,
  payload: unknown,
): { ok: true; request: IpcRequest<C> } | { ok: false; result: IpcResult<never> } {
  const parsed = ipcContract[channel].request.safeParse(payload);
  if (parsed.success) return { ok: true, request: parsed.data as IpcRequest<C> };
  const message = parsed.error.issues[0]?.message ?? 'The request could not be read';
  return { ok: false, result: ipcError('invalid-request', message) };
}
