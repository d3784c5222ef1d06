/**
 * server/deploy as an office installs it: the systemd units pass `systemd-analyze verify`, the
 * server unit's own command lines with the example settings check and serve (embedded and
 * PostgreSQL) and stop cleanly on systemd's SIGTERM, install.sh lays out files with the modes
 * the README promises and keeps edited settings, and both Caddyfiles parse into what they claim.
 */
import { execFile, spawn } from 'node:child_process';
import { chmod, lstat, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { Health } from '../../shared/sync/protocol';
import { PG_URL, dropSchema, tempDir, uniqueSchema } from './helpers';
import { freePort } from './running-server';

const run = promisify(execFile);
const DEPLOY = 'server/deploy';
const UNITS = ['kat-chart-server.service', 'kat-chart-backup.service', 'kat-chart-backup.timer'];

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function scratch() {
  const dir = await tempDir('kat-deploy-');
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** `Key=value` lines of one section of a unit file (repeated keys keep every value). */
async function unitSection(file: string, section: string): Promise<Map<string, string[]>> {
  const text = await readFile(join(DEPLOY, file), 'utf8');
  const out = new Map<string, string[]>();
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('[')) current = line.slice(1, -1);
    else if (current === section) {
      const at = line.indexOf('=');
      const key = line.slice(0, at);
      out.set(key, [...(out.get(key) ?? []), line.slice(at + 1)]);
    }
  }
  return out;
}

/** The example settings file, as systemd's EnvironmentFile= reads it. */
async function exampleSettings(): Promise<Record<string, string>> {
  const text = await readFile(join(DEPLOY, 'server.env.example'), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

describe('the systemd units', () => {
  it('pass systemd-analyze verify', async () => {
    const { stdout, stderr } = await run(
      'systemd-analyze',
      ['verify', ...UNITS.map((u) => join(DEPLOY, u))],
      { env: { ...process.env, SYSTEMD_LOG_LEVEL: 'notice' } },
    );
    expect(stdout + stderr).toBe('');
  });

  it('say what the service promises: boot start, restart on failure, journal, checked settings', async () => {
    const service = await unitSection('kat-chart-server.service', 'Service');
    expect(service.get('Restart')).toEqual(['on-failure']);
    expect(service.get('User')).toEqual(['kat-chart']);
    expect(service.get('StandardOutput')).toEqual(['journal']);
    expect(service.get('StandardError')).toEqual(['journal']);
    expect(service.get('EnvironmentFile')).toEqual(['/etc/kat-chart/server.env']);
    expect(service.get('StateDirectory')).toEqual(['kat-chart']);
    expect(service.get('StateDirectoryMode')).toEqual(['0700']);
    expect(service.get('ExecStartPre')).toEqual([
      '/usr/bin/node --import tsx server/main.ts --check',
    ]);
    expect((await unitSection('kat-chart-server.service', 'Install')).get('WantedBy')).toEqual([
      'multi-user.target',
    ]);
    expect((await unitSection('kat-chart-backup.timer', 'Install')).get('WantedBy')).toEqual([
      'timers.target',
    ]);
  });

  it.each(['embedded', 'postgres'])(
    "runs its own command lines with the example settings (%s store) and stops on systemd's SIGTERM",
    async (kind) => {
      const service = await unitSection('kat-chart-server.service', 'Service');
      const dir = await scratch();
      const port = await freePort();
      const schema = uniqueSchema();
      if (kind === 'postgres') cleanups.push(() => dropSchema(schema));
      const env: Record<string, string> = {
        ...process.env,
        ...(await exampleSettings()),
        CLINIC_DATA_DIR: dir, // the unit's StateDirectory, here a scratch folder
        PORT: String(port),
        DATABASE_URL: kind === 'postgres' ? PG_URL : '',
        DATABASE_SCHEMA: schema,
        NODE_ENV: 'production',
      };
      const argv = (line: string) => line.split(' ');
      const [preBin, ...preArgs] = argv(service.get('ExecStartPre')![0]!);
      const checked = await run(preBin!, preArgs, { env });
      expect(checked.stdout).toMatch(/The settings are usable/);

      const [bin, ...args] = argv(service.get('ExecStart')![0]!);
      const child = spawn(bin!, args, { env });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      cleanups.push(async () => {
        if (child.exitCode === null) child.kill('SIGKILL');
      });
      for (let i = 0; !/server ready/.test(out); i++) {
        if (i > 600 || child.exitCode !== null) throw new Error(`did not start: ${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const health = Health.parse(await (await fetch(`http://127.0.0.1:${port}/v1/health`)).json());
      expect(health.store).toBe(kind);
      expect(out).toContain(`is in ${join(dir, 'setup-token.txt')}`);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    },
    60_000,
  );
});

/** Packages a module and everything it imports at run time need (type-only imports are erased). */
async function runtimePackages(entry: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = async (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = await readFile(file, 'utf8');
    const specs = [
      ...text.matchAll(/^(?:import|export)(?!\s+type\s)[^;]*?from\s+'([^']+)'/gms),
      ...text.matchAll(/^import\s+'([^']+)'/gm),
      ...text.matchAll(/\bimport\('([^']+)'\)/g),
    ].map((m) => m[1]!);
    for (const spec of specs) {
      if (spec.startsWith('.')) {
        const base = join(dirname(file), spec).replace(/\.js$/, '');
        const candidates = [base, `${base}.ts`, join(base, 'index.ts')];
        const found = await Promise.all(
          candidates.map((c) =>
            stat(c).then(
              (s) => (s.isFile() ? c : undefined),
              () => undefined,
            ),
          ),
        );
        const target = found.find((f): f is string => f !== undefined);
        if (!target) throw new Error(`${file}: cannot resolve ${spec}`);
        if (target.endsWith('.ts')) await visit(target);
      } else if (!spec.startsWith('node:') && !builtinModules.includes(spec)) {
        const parts = spec.split('/');
        packages.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
      }
    }
  };
  await visit(entry);
  return packages;
}

describe('what install.sh installs', () => {
  // install.sh runs `npm ci --omit=dev`: a package the service needs only as a devDependency is
  // missing on the office machine, and the service never starts (tsx was: ERR_MODULE_NOT_FOUND).
  it('holds every package the service runs as a production dependency', async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const service = await unitSection('kat-chart-server.service', 'Service');
    const preload = [...service.get('ExecStart')![0]!.matchAll(/--import (\S+)/g)].map(
      (m) => m[1]!,
    );
    expect(preload).toEqual(['tsx']);
    const needed = [...preload, ...(await runtimePackages('server/main.ts'))].sort();
    expect(needed).toContain('fastify');
    expect(needed.filter((name) => !pkg.dependencies[name])).toEqual([]);
  });
});

describe('install.sh', () => {
  it('lays out app, settings, units and backups with the promised modes, and keeps edited settings', async () => {
    const root = await scratch();
    const env = { ...process.env, KAT_PREFIX: root };
    const install = (...args: string[]) =>
      run('sh', [join(DEPLOY, 'install.sh'), ...args], { env });
    await install('--https', 'private', 'kat-server.lan', '192.168.1.20');

    expect(await readFile(join(root, 'opt/kat-chart/server/main.ts'), 'utf8')).toContain(
      'npm run server',
    );
    expect(
      await readFile(join(root, 'opt/kat-chart/shared/sync/protocol.ts'), 'utf8'),
    ).toBeTruthy();
    const settings = join(root, 'etc/kat-chart/server.env');
    expect((await stat(settings)).mode & 0o777).toBe(0o640);
    expect((await stat(join(root, 'etc/kat-chart'))).mode & 0o777).toBe(0o750);
    expect((await stat(join(root, 'var/backups/kat-chart'))).mode & 0o777).toBe(0o700);
    for (const unit of UNITS)
      expect(await readFile(join(root, 'etc/systemd/system', unit), 'utf8')).toBe(
        await readFile(join(DEPLOY, unit), 'utf8'),
      );
    const link = join(root, 'usr/local/bin/kat-chart-backup');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('/opt/kat-chart/server/deploy/kat-chart-backup');
    expect(await readFile(join(root, 'etc/caddy/Caddyfile'), 'utf8')).toBe(
      await readFile(join(DEPLOY, 'Caddyfile.private'), 'utf8'),
    );
    expect(await readFile(join(root, 'etc/kat-chart/caddy.env'), 'utf8')).toBe(
      'KAT_SERVER_NAMES=kat-server.lan, 192.168.1.20\n',
    );
    expect(
      await readFile(join(root, 'etc/systemd/system/caddy.service.d/kat-chart.conf'), 'utf8'),
    ).toMatch(/EnvironmentFile=\/etc\/kat-chart\/caddy.env/);

    // Run again (an update): the office's own settings stay as they were edited.
    await writeFile(settings, 'PORT=9000\n');
    await chmod(settings, 0o600);
    await install();
    expect(await readFile(settings, 'utf8')).toBe('PORT=9000\n');
    expect((await stat(settings)).mode & 0o777).toBe(0o640);

    await expect(install('--https', 'sideways', 'x')).rejects.toThrow(/needs private or public/);
  });
});

describe('the Caddyfiles', () => {
  const adapt = async (file: string, names: string) =>
    JSON.parse(
      (
        await run('caddy', ['adapt', '--config', join(DEPLOY, file), '--adapter', 'caddyfile'], {
          env: { ...process.env, KAT_SERVER_NAMES: names },
        })
      ).stdout,
    ) as {
      apps: {
        http: {
          servers: Record<string, { routes: { match: { host: string[] }[]; handle: unknown }[] }>;
        };
        tls?: { automation: { policies: { issuers: { module: string }[] }[] } };
        pki?: unknown;
      };
    };

  it('private: certificates from Caddy’s own authority only, which it does not install here', async () => {
    const config = await adapt('Caddyfile.private', 'kat-server.lan, 192.168.1.20');
    const route = Object.values(config.apps.http.servers)[0]!.routes[0]!;
    expect(route.match[0]!.host).toEqual(['kat-server.lan', '192.168.1.20']);
    expect(JSON.stringify(route.handle)).toContain('"dial":"127.0.0.1:8787"');
    expect(
      config.apps.tls!.automation.policies.flatMap((p) => p.issuers.map((i) => i.module)),
    ).toEqual(['internal']);
    expect(config.apps.pki).toEqual({
      certificate_authorities: { local: { install_trust: false } },
    });
  });

  it('public: the name proxied to the server, certificates left to Caddy’s automatic HTTPS', async () => {
    const config = await adapt('Caddyfile.public', 'kat.example-clinic.org');
    const route = Object.values(config.apps.http.servers)[0]!.routes[0]!;
    expect(route.match[0]!.host).toEqual(['kat.example-clinic.org']);
    expect(JSON.stringify(route.handle)).toContain('"dial":"127.0.0.1:8787"');
    expect(config.apps.tls).toBeUndefined();
  });
});
