/**
 * Debian's PostgreSQL server in a scratch folder on a free port of 127.0.0.1, started by a test and
 * removed with its data when stopped. PostgreSQL refuses to run as root: as root, the cluster is
 * made and run as the postgres system user.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, chownSync, constants, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.ts';

export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:PORT/DB, a database of its own. */
  readonly url: string;
  readonly port: number;
  /** A URL of another database on the same server. */
  urlOf(database: string): string;
  /** Creates a new, empty database on the server; its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown) and removes its folder. */
  stop(): Promise<void>;
}

const DATABASE = 'server_knowledge_test';
const START_TIMEOUT_MS = 30_000;

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const runAs = process.getuid?.() === 0 ? postgresUser() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'server-knowledge-pg-'));
  if (runAs) chownSync(dir, runAs.uid, runAs.gid);
  const data = join(dir, 'data');
  const spawnOptions = { cwd: dir, ...runAs };

  const made = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'], { ...spawnOptions, encoding: 'utf8' });
  if (made.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${made.error?.message ?? `exit code ${made.status}`}):\n${made.stdout}${made.stderr}`);
  }
  // Trust on the loopback address only, and the socket in the scratch folder: nothing outside reaches it.
  writeFileSync(join(data, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 trust\n');

  const port = await freePort();
  const server = spawn(
    join(bin, 'postgres'),
    ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const stop = once(async () => {
    await stopServer(server, exited);
    rmSync(dir, { recursive: true, force: true });
  });

  const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const createDatabase = async (name: string) => {
    const admin = new pg.Client({ connectionString: urlOf('postgres') });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    return urlOf(name);
  };
  try {
    await untilAccepting(urlOf('postgres'), server, () => output);
    await createDatabase(DATABASE);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: urlOf(DATABASE), port, urlOf, createDatabase, stop };
}

/** The folder with initdb and postgres: on PATH, else Debian's /usr/lib/postgresql/<version>/bin, the highest version. */
function postgresBinDir(): string {
  const onPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const debian = listVersions('/usr/lib/postgresql').map((version) => `/usr/lib/postgresql/${version}/bin`);
  for (const dir of [...onPath, ...debian]) {
    if (executable(join(dir, 'initdb')) && executable(join(dir, 'postgres'))) {
      // The real folder: a symlink on PATH (Debian's packages link only a few programs) still finds its neighbours.
      return realpathSync(join(dir, 'postgres')).replace(/\/postgres$/, '');
    }
  }
  throw new Error("PostgreSQL is not installed (no initdb and postgres on PATH or in /usr/lib/postgresql/*/bin): install Debian's postgresql package (.ci/run does).");
}

function listVersions(root: string): string[] {
  try {
    return readdirSync(root)
      .filter((name) => /^\d+(\.\d+)?$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
  } catch {
    return [];
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error("PostgreSQL does not run as root, and there is no postgres user to run it as: install Debian's postgresql package (it creates the user), or run the tests as another user.");
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Connects until the server answers a query: it accepts connections only once its start-up is done. */
async function untilAccepting(url: string, server: ChildProcess, output: () => string): Promise<void> {
  const deadline = performance.now() + START_TIMEOUT_MS;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) throw new Error(`postgres stopped while starting:\n${output()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (performance.now() >= deadline) throw new Error(`postgres did not accept connections within ${START_TIMEOUT_MS / 1000} s (${(error as Error).message}):\n${output()}`);
    } finally {
      await client.end().catch(() => {});
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** SIGINT is PostgreSQL's fast shutdown: open sessions are ended, and it exits at once. */
async function stopServer(server: ChildProcess, exited: Promise<void>): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  server.kill('SIGINT');
  const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function once(work: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= work());
}
