import { readFileSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { builtServerEnv, builtServerMain } from '@chit/e2e/process';
import pg from 'pg';
import { serverDir } from '../bench/lib.js';
import { asPostgres, log, type Processes, type Started } from './processes.js';

// The cluster deploy/ha/ describes, on 127.0.0.1 and free ports, from its very templates:
// one etcd member, three PostgreSQL 15 nodes managed by Patroni (synchronous_mode),
// HAProxy routing to the primary by Patroni's GET /primary and spreading HTTP over two
// Chit instances (the built server). And what Patroni says about it.

const deployDir = path.resolve(serverDir, '..', 'deploy', 'ha');
export const host = '127.0.0.1';
const superPassword = 'chit-ha-super';
const chitPassword = 'chit-ha-app';

export interface Node {
  name: string;
  pgPort: number;
  restPort: number;
  dataDir: string;
}

export interface Cluster {
  nodes: Node[];
  /** HAProxy's HTTP front of the Chit instances. */
  lb: string;
  /** Chit's database, through HAProxy. */
  databaseUrl: string;
  chit: Started[];
}

const takenPorts = new Set<number>();

/**
 * A free port below the kernel's ephemeral range. A port the kernel hands out for
 * `listen(0)` (as @chit/e2e/process's freePort takes) is in that range, and the cluster
 * takes a while to start: by the time a process binds it, an outgoing connection (a health
 * check, Patroni to etcd) may be using it as its source port.
 */
async function freePort(): Promise<number> {
  let below = 32_768;
  try {
    below = Math.max(12_000, Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0]));
  } catch {
    // not Linux: keep the common default
  }
  for (;;) {
    const port = 10_000 + Math.floor(Math.random() * (below - 10_000));
    if (takenPorts.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, host, () => server.close(() => resolve(true)));
    });
    if (free) {
      takenPorts.add(port);
      return port;
    }
  }
}

function render(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`template variable ${name} has no value`);
    return String(value);
  });
}

/** Renders deploy/ha/<template>.tmpl to `file` in the run's folder; returns its path. */
async function renderTo(
  procs: Processes,
  template: string,
  file: string,
  vars: Record<string, string | number>,
): Promise<string> {
  const target = path.join(procs.workDir, file);
  // Readable by the postgres user, which runs Patroni.
  await writeFile(target, render(await readFile(path.join(deployDir, `${template}.tmpl`), 'utf8'), vars), {
    mode: 0o644,
  });
  return target;
}

export async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** The node whose Patroni says it is the primary (what HAProxy asks). */
export async function leaderOf(nodes: Node[]): Promise<Node | undefined> {
  for (const node of nodes) {
    const { status } = await getJson(`http://${host}:${node.restPort}/primary`).catch(() => ({ status: 0 }));
    if (status === 200) return node;
  }
  return undefined;
}

interface Member {
  name: string;
  role: string;
  state: string;
  lag?: number | string;
}

/** The cluster as Patroni sees it: a leader, and a synchronous standby that is streaming. */
export async function healthyCluster(nodes: Node[]): Promise<{ leader: string; sync: string } | undefined> {
  for (const node of nodes) {
    const res = await getJson(`http://${host}:${node.restPort}/cluster`).catch(() => null);
    const members = (res?.body as { members?: Member[] } | null)?.members;
    if (!members) continue;
    const leader = members.find((m) => m.role === 'leader' && m.state === 'running');
    const sync = members.find((m) => m.role === 'sync_standby' && (m.state === 'streaming' || m.state === 'running'));
    if (leader && sync && (sync.lag === 0 || sync.lag === undefined)) return { leader: leader.name, sync: sync.name };
  }
  return undefined;
}

async function postgresIds(): Promise<[number, number]> {
  const line = (await readFile('/etc/passwd', 'utf8')).split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('there is no postgres user: run deploy/ha/install.sh first');
  const [, , uid, gid] = line.split(':');
  return [Number(uid), Number(gid)];
}

/** Makes the run's folder and starts the whole cluster in it; returns once Chit answers through HAProxy. */
export async function startCluster(procs: Processes): Promise<Cluster> {
  procs.workDir = await mkdtemp(path.join(os.tmpdir(), 'chit-ha-'));
  // PostgreSQL runs as the postgres user: it must be able to enter the folder.
  await chmod(procs.workDir, 0o755);
  const pgDir = path.join(procs.workDir, 'pg');
  await mkdir(pgDir, { mode: 0o700 });
  if (process.getuid?.() === 0) {
    const [uid, gid] = await postgresIds();
    await chown(pgDir, uid, gid);
  }
  log(`working in ${procs.workDir}`);

  const etcdClient = await startEtcd(procs);
  const nodes = await startPatroni(procs, pgDir, etcdClient);

  const haPgPort = await freePort();
  const haHttpPort = await freePort();
  const chitPorts = [await freePort(), await freePort()];
  const haproxyConfig = await renderTo(procs, 'haproxy.cfg', 'haproxy.cfg', {
    HAPROXY_HOST: host,
    HAPROXY_PG_PORT: haPgPort,
    HAPROXY_HTTP_PORT: haHttpPort,
    ...Object.fromEntries(
      nodes.flatMap((node, i): [string, string | number][] => [
        [`PG${i + 1}_HOST`, host],
        [`PG${i + 1}_PORT`, node.pgPort],
        [`PG${i + 1}_PATRONI_PORT`, node.restPort],
      ]),
    ),
    CHIT1_HOST: host,
    CHIT1_PORT: chitPorts[0]!,
    CHIT2_HOST: host,
    CHIT2_PORT: chitPorts[1]!,
  });
  procs.start('haproxy', 'haproxy', ['-f', haproxyConfig, '-db']);

  const bootStart = performance.now();
  const healthy = await procs.until('a primary and a synchronous standby', 120_000, () => healthyCluster(nodes));
  log(
    `cluster up in ${((performance.now() - bootStart) / 1000).toFixed(1)} s: leader ${healthy.leader}, sync standby ${healthy.sync}`,
  );

  const databaseUrl = await createChitDatabase(procs, `${host}:${haPgPort}`);
  const chit = await startChit(procs, chitPorts, databaseUrl);
  const lb = `http://${host}:${haHttpPort}`;
  await procs.until('HAProxy to reach Chit', 20_000, async () =>
    (await getJson(`${lb}/api/health/live`)).status === 200 ? true : undefined,
  );
  log(`two Chit instances behind ${lb}, database through ${host}:${haPgPort}`);
  return { nodes, lb, databaseUrl, chit };
}

/** One etcd member; returns its client port. */
async function startEtcd(procs: Processes): Promise<number> {
  const etcdClient = await freePort();
  const etcdPeer = await freePort();
  const config = await renderTo(procs, 'etcd.yml', 'etcd.yml', {
    ETCD_NAME: 'etcd1',
    ETCD_DATA_DIR: path.join(procs.workDir, 'etcd'),
    ETCD_HOST: host,
    ETCD_CLIENT_PORT: etcdClient,
    ETCD_PEER_PORT: etcdPeer,
    ETCD_INITIAL_CLUSTER: `etcd1=http://${host}:${etcdPeer}`,
  });
  procs.start('etcd', 'etcd', ['--config-file', config]);
  await procs.until('etcd', 30_000, async () =>
    (await getJson(`http://${host}:${etcdClient}/health`)).status === 200 ? true : undefined,
  );
  return etcdClient;
}

/** Three Patroni nodes, as the postgres user; the first to start initialises the cluster. */
async function startPatroni(procs: Processes, pgDir: string, etcdClient: number): Promise<Node[]> {
  const nodes: Node[] = [];
  for (const name of ['pg1', 'pg2', 'pg3']) {
    const node: Node = { name, pgPort: await freePort(), restPort: await freePort(), dataDir: path.join(pgDir, name) };
    nodes.push(node);
    procs.dataDirs.push(node.dataDir);
    const config = await renderTo(procs, 'patroni.yml', `patroni-${name}.yml`, {
      NODE_NAME: name,
      NODE_HOST: host,
      PATRONI_PORT: node.restPort,
      PG_PORT: node.pgPort,
      ETCD_HOSTS: `${host}:${etcdClient}`,
      DATA_DIR: node.dataDir,
      SOCKET_DIR: pgDir,
      ALLOWED_CIDR: `${host}/32`,
      PG_SUPERUSER_PASSWORD: superPassword,
      PG_REPLICATION_PASSWORD: 'chit-ha-repl',
      PG_REWIND_PASSWORD: 'chit-ha-rewind',
    });
    const [command, args] = asPostgres('patroni', [config]);
    procs.start(`patroni-${name}`, command, args);
  }
  return nodes;
}

/** Chit's own role and database, made through HAProxy as an operator would; returns its URL. */
async function createChitDatabase(procs: Processes, haPg: string): Promise<string> {
  const admin = `postgres://postgres:${superPassword}@${haPg}/postgres`;
  await procs.until('HAProxy to reach the primary', 30_000, async () => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      const { rows } = await client.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r');
      if (rows[0]!.r) return undefined;
      await client.query(`CREATE ROLE chit LOGIN PASSWORD '${chitPassword}'`);
      await client.query('CREATE DATABASE chit OWNER chit');
      return true;
    } finally {
      await client.end();
    }
  });
  return `postgres://chit:${chitPassword}@${haPg}/chit`;
}

/** The built server on each port, one at a time: the first one migrates and seeds. */
async function startChit(procs: Processes, ports: number[], databaseUrl: string): Promise<Started[]> {
  const chit: Started[] = [];
  for (const [i, port] of ports.entries()) {
    const name = `chit${i + 1}`;
    chit.push(
      procs.start(name, process.execPath, [builtServerMain], {
        ...builtServerEnv({
          port,
          databaseUrl,
          dataDir: path.join(procs.workDir, name),
          clientDist: '/nonexistent',
        }),
        // The simulated tablets write faster than a waiter; the limit is not under test.
        RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
        RATE_LIMIT_WRITES_BURST: '1000000',
        EVENTS_RETRY_MS: '500',
      }),
    );
    await procs.until(`${name} to be ready`, 60_000, async () =>
      (await getJson(`http://${host}:${port}/api/health/ready`)).status === 200 ? true : undefined,
    );
  }
  return chit;
}
