// What users get wrong, and what goes wrong under them: clear message, non-zero exit, nothing half-made.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterName, engineFor, forceRemove, kubelab, objectsOf, testHome } from './helpers/kubelab.js';

const home = testHome();
const made: string[] = [];

afterAll(async () => {
  for (const c of made) await forceRemove(c);
});

describe('usage errors', () => {
  it.each([
    [['start', '--name', 'Bad_Name'], /invalid cluster name "Bad_Name"/],
    [['start', '--name=-x'], /invalid cluster name "-x"/],
    [['start', '--nodes', '0'], /invalid node count 0/],
    [['start', '--nodes', 'three'], /invalid node count "three"/],
    [['start', '--wait', 'soon'], /invalid duration "soon"/],
    [['start', '--bogus'], /Unknown option '--bogus'/],
    [['status', '-o', 'yaml'], /unknown output format "yaml"/],
    [['node', 'frobnicate'], /unknown node subcommand "frobnicate"/],
    [['node', 'delete'], /needs exactly one node name/],
    [['teleport'], /unknown command "teleport"/],
  ])('kubelab %j exits 2 with a clear message', async (args, message) => {
    const r = await kubelab(args, { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('prints help for every command', async () => {
    for (const cmd of ['start', 'stop', 'delete', 'status', 'list', 'node', 'use', 'kubeconfig', 'kubectl', 'dashboard']) {
      const r = await kubelab([cmd, '--help'], { home });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: kubelab ${cmd}`));
      expect(r.stdout).toContain('--verbose');
    }
    const top = await kubelab(['--help'], { home });
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('node       Add, delete, stop, start or open a shell');
    expect(top.stdout).toContain('use        Make a cluster kubectl');
  });
});

describe('errors from the environment', () => {
  it('says how to get a Docker engine when none answers', async () => {
    const r = await kubelab(['list'], { home, env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot reach a Docker engine at unix:///nonexistent/docker.sock');
    expect(r.stderr).toMatch(/hint: start Docker/);
  });

  it('refuses to delete or stop a cluster that does not exist', async () => {
    for (const cmd of ['delete', 'stop', 'status']) {
      const r = await kubelab([cmd, 'no-such-cluster'], { home });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('cluster "no-such-cluster" does not exist');
    }
  });

  it('stops before creating anything when the disk is low', async () => {
    const name = clusterName('disk');
    made.push(name);
    const r = await kubelab(['start', '--name', name], { home, env: { KUBELAB_MIN_FREE_DISK_MB: String(1024 ** 3) } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/low disk: only \d+ MiB free at .*, kubelab needs at least/);
    expect(await objectsOf(name)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('shows the failing step\'s output when the node image cannot be built', async () => {
    const name = clusterName('build');
    made.push(name);
    // A base without Debian's tools: the package check step of the node image must fail.
    const home2 = testHome();
    const busybox = await kubelab(['list'], { home: home2 }).then(() => engineFor(home2).busyboxImage(() => {}));
    const r = await kubelab(['start', '--name', name], { home: home2, env: { KUBELAB_BASE_IMAGE: busybox } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/node image build failed at Step \d+\/\d+ : RUN set -eu; missing=/);
    expect(r.stderr).toMatch(/the command returned a non-zero code: 127\n/);
    expect(r.stderr).toMatch(/\| .*apt-get: not found/);
    expect(r.stderr).toContain('hint: the failing step');
    expect(await objectsOf(name)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('refuses a fixed API port that is already taken', async () => {
    const name = clusterName('port');
    made.push(name);
    const holder = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => holder.once('listening', r));
    const port = (holder.address() as { port: number }).port;
    try {
      const r = await kubelab(['start', '--name', name, '--api-port', String(port)], { home });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`host port 127.0.0.1:${port} is in use`);
      expect(await objectsOf(name)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    } finally {
      holder.close();
    }
  });
});

describe('concurrent and interrupted operations', () => {
  it('lets only one of two simultaneous starts of a cluster work on it', async () => {
    const name = clusterName('twice');
    made.push(name);
    const [r1, r2] = await Promise.all([
      kubelab(['start', '--name', name, '--nodes', '2'], { home }),
      new Promise((r) => setTimeout(r, 300)).then(() => kubelab(['start', '--name', name, '--nodes', '2'], { home })),
    ]);
    const results = [r1, r2].sort((x, y) => x.code - y.code);
    expect(results[0]?.code, results[0]?.stderr).toBe(0);
    expect(results[1]?.code).toBe(1);
    expect(results[1]?.stderr).toMatch(new RegExp(`cluster "${name}" is busy: another kubelab \\(pid \\d+\\) is running \`start\``));
    expect(await objectsOf(name)).toEqual({ containers: 2, networks: 1, volumes: 2 });
    // Once the first is done, starting again is fine and changes nothing.
    const again = await kubelab(['start', '--name', name], { home });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Cluster "${name}" started`);
    const del = await kubelab(['delete', name], { home });
    expect(del.code).toBe(0);
  });

  it('leaves nothing behind when the Docker engine goes away mid-create', async () => {
    const name = clusterName('gone');
    made.push(name);
    // The CLI talks to the real engine through a socket we can pull away, as when dockerd stops.
    const sock = join(tmpdir(), `kubelab-proxy-${process.pid}.sock`);
    if (existsSync(sock)) rmSync(sock);
    const clients = new Set<Socket>();
    const proxy: Server = createServer((c) => {
      const up = connect('/var/run/docker.sock');
      clients.add(c).add(up);
      c.pipe(up).pipe(c);
      c.on('error', () => up.destroy());
      up.on('error', () => c.destroy());
    });
    await new Promise<void>((r) => proxy.listen(sock, r));
    let cut = false;
    const r = await kubelab(['start', '--name', name, '--nodes', '2'], {
      home,
      env: { DOCKER_HOST: `unix://${sock}` },
      onStderr: (text) => {
        if (!cut && text.includes('• Creating and starting nodes')) {
          cut = true;
          proxy.close();
          for (const s of clients) s.destroy();
        }
      },
    });
    expect(cut).toBe(true);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the Docker engine stopped answering while creating cluster "${name}"`);
    expect(r.stderr).toMatch(/hint: once the engine is back, the next kubelab command removes what was made/);
    // The half-made parts are still there, since the engine could not be told to remove them...
    const left = await objectsOf(name);
    expect(left.networks + left.containers + left.volumes).toBeGreaterThan(0);
    // ...and the next command, with the engine back, removes them.
    const list = await kubelab(['list'], { home });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stderr).toContain(`Removing half-made cluster ${name}`);
    expect(await objectsOf(name)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('stops and removes what it made when the user presses Ctrl-C during a create', async () => {
    const name = clusterName('ctrlc');
    made.push(name);
    let sent = false;
    const r = await kubelab(['start', '--name', name, '--nodes', '2'], {
      home,
      onStderr: (text, child) => {
        if (!sent && text.includes('• Creating and starting nodes')) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('interrupted: finishing the current step and cleaning up');
    expect(r.stderr).toContain('✓ Removing the half-made cluster');
    expect(r.stderr).toContain(`failed to create cluster "${name}": interrupted`);
    expect(await objectsOf(name)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('deletes a cluster even when the kubeconfig has become unreadable, and says so', async () => {
    const name = clusterName('kcfg');
    made.push(name);
    const kc = join(home, `${name}.kubeconfig`);
    const env = { KUBECONFIG: kc };
    expect((await kubelab(['start', '--name', name], { home, env })).code).toBe(0);
    writeFileSync(kc, '- this is\n- not a kubeconfig\n');
    const del = await kubelab(['delete', name], { home, env });
    expect(del.code, del.stderr).toBe(0);
    expect(del.stderr).toContain(`warn: could not remove context kubelab-${name} from ${kc}`);
    expect(await objectsOf(name)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('removes a half-made cluster when a create step fails', async () => {
    const name = clusterName('fail');
    made.push(name);
    // A wait of 1ms cannot be met: the create fails at the readiness step and cleans up.
    const r = await kubelab(['start', '--name', name, '--nodes', '2', '--wait', '1ms'], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/did not become ready in time/);
    expect(r.stderr).toContain('✓ Removing the half-made cluster');
    expect(await objectsOf(name)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('keeps the parts of a failed create with --retain', async () => {
    const name = clusterName('keep');
    made.push(name);
    const r = await kubelab(['start', '--name', name, '--wait', '1ms', '--retain'], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('its parts were kept (--retain)');
    expect(await objectsOf(name)).toEqual({ containers: 1, networks: 1, volumes: 1 });
    const del = await kubelab(['delete', name], { home });
    expect(del.code).toBe(0);
    expect(await objectsOf(name)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });
});
