// The developer loop without a registry, on a real 3-node cluster with the real docker CLI and
// kubectl: `eval $(kubelab docker-env)`, `docker build`, a Deployment of the new image on every
// node, `--unset` giving the shell its own docker back; a client without the cluster's
// certificate refused; `kubelab image load` copying only to the nodes that lack an image.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.js';
import { clusterName, engineFor, forceRemove, kubelab, testHome } from './helpers/kubelab.js';
import { kubectl } from './helpers/kubectl.js';

const home = testHome();
const name = clusterName('denv');
const kubeconfig = join(home, 'kube', 'config');
const env = { KUBECONFIG: kubeconfig };
const cli = join(process.cwd(), 'bin', 'kubelab.js');

/** Runs a bash script with kubelab on PATH-like reach and this suite's state; resolves with stdout (rejects with stderr). */
function bash(script: string, extraEnv: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', script], { env: { PATH: process.env.PATH, HOME: process.env.HOME, KUBELAB_HOME: home, KUBECONFIG: kubeconfig, KUBELAB: `${process.execPath} ${cli}`, ...extraEnv }, timeout: 240_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

describe.sequential('docker-env and image loading on a 3-node cluster', () => {
  beforeAll(async () => {
    const r = await kubelab(['start', '--name', name, '--nodes', '3'], { home, env });
    expect(r.code, r.stderr).toBe(0);
    await eventually('three Ready nodes', async () => ((await kubectl(kubeconfig, ['get', 'nodes', '--no-headers'])).stdout.match(/ Ready /g)?.length ?? 0) === 3, 60_000, 500);
    await eventually('the default ServiceAccount', async () => (await kubectl(kubeconfig, ['get', 'serviceaccount', 'default'])).code === 0, 20_000, 500);
  }, 240_000);
  afterAll(async () => {
    await forceRemove(name);
  });

  it('builds an image through docker-env that pods run on every node, then gives the shell its docker back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubelab-build-'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM kubelab/busybox:1\nRUN echo built-by-docker-env > /var/www/index.html\nCMD ["httpd", "-f", "-p", "8080", "-h", "/var/www"]\n');
    const out = await bash(
      [
        'set -e',
        'export DOCKER_HOST=unix:///var/run/docker.sock',
        `eval "$($KUBELAB docker-env --name ${name})"`,
        'echo "host=$DOCKER_HOST verify=$DOCKER_TLS_VERIFY"',
        'docker version --format "server={{.Server.Version}}"',
        `docker build -q -t myapp:dev ${dir} >/dev/null`,
        'docker image inspect myapp:dev --format "built={{.Id}}"',
        // kubelab itself keeps using the user's engine while the shell points at a node.
        `$KUBELAB list | grep -c ${name} | sed 's/^/clusters=/'`,
        `eval "$($KUBELAB docker-env --name ${name} --unset)"`,
        'echo "after=$DOCKER_HOST verify=${DOCKER_TLS_VERIFY-none}"',
      ].join('\n'),
    );
    expect(out).toMatch(/host=tcp:\/\/127\.0\.0\.1:\d+ verify=1/);
    expect(out).toMatch(/server=\d+\.\d+/);
    expect(out).toMatch(/built=sha256:/);
    expect(out).toContain('clusters=1');
    expect(out).toContain('after=unix:///var/run/docker.sock verify=none');

    const nodes = (await kubectl(kubeconfig, ['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}'])).stdout.split(' ');
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'myapp', namespace: 'default' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'myapp' } },
        template: {
          metadata: { labels: { app: 'myapp' } },
          spec: {
            // One pod per node, the control plane included.
            tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
            affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'myapp' } }, topologyKey: 'kubernetes.io/hostname' }] } },
            containers: [{ name: 'web', image: 'myapp:dev', imagePullPolicy: 'Never', ports: [{ containerPort: 8080 }] }],
          },
        },
      },
    };
    expect((await kubectl(kubeconfig, ['apply', '-f', '-'], JSON.stringify(deployment))).code).toBe(0);
    const status = await kubectl(kubeconfig, ['rollout', 'status', 'deployment/myapp', '--timeout=180s']);
    expect(status.code, status.stderr).toBe(0);
    const pods = JSON.parse((await kubectl(kubeconfig, ['get', 'pods', '-l', 'app=myapp', '-o', 'json'])).stdout) as { items: Array<{ metadata: { name: string }; spec: { nodeName: string } }> };
    expect(new Set(pods.items.map((p) => p.spec.nodeName))).toEqual(new Set(nodes));
    for (const p of pods.items) {
      const body = await kubectl(kubeconfig, ['exec', p.metadata.name, '--', 'wget', '-qO-', 'localhost:8080']);
      expect(body.stdout.trim()).toBe('built-by-docker-env');
    }
    const events = (await kubectl(kubeconfig, ['get', 'events', '--field-selector', 'reason=Pulled', '-o', 'jsonpath={.items[*].message}'])).stdout;
    expect(events).toMatch(/copied image "myapp:dev" from node /);
  }, 300_000);

  it('refuses a docker client without the cluster\'s certificate', async () => {
    const out = await bash(`$KUBELAB docker-env --name ${name} | sed -n "s/^export DOCKER_HOST='tcp:\\/\\/127.0.0.1:\\([0-9]*\\)'/\\1/p"`);
    const port = Number(out.trim());
    expect(port).toBeGreaterThan(0);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
        socket.write('GET /version HTTP/1.1\r\nHost: docker\r\n\r\n');
      });
      let answer = '';
      socket.on('data', (d: Buffer) => (answer += d.toString()));
      socket.on('error', (err) => resolve(`error: ${err.message}`));
      socket.on('close', () => resolve(answer ? `answered: ${answer.split('\n')[0]}` : 'closed'));
    });
    expect(refused).not.toMatch(/answered: HTTP\/1\.1 200/);
    // And the docker CLI pointed at it without certificates gets nowhere.
    await expect(bash(`DOCKER_HOST=tcp://127.0.0.1:${port} docker version --format '{{.Server.Version}}'`)).rejects.toThrow();
  }, 60_000);

  it('loads an image from the host engine only into the nodes that lack it, and lists and removes it', async () => {
    const engine = engineFor(home);
    const image = await engine.busyboxImage(() => {});
    const first = await kubelab(['image', 'load', image, '--name', name, '--node', 'worker'], { home, env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`${image}: copied to ${name}-worker`);
    const second = await kubelab(['image', 'load', image, '--name', name], { home, env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`copied to ${name}-control-plane, ${name}-worker2 .*; already on ${name}-worker`));
    const list = await kubelab(['image', 'ls', '--name', name, '-o', 'json'], { home, env });
    const row = (JSON.parse(list.stdout) as Array<{ image: string; nodes: string[] }>).find((r) => r.image === image);
    expect(row?.nodes.sort()).toEqual([`${name}-control-plane`, `${name}-worker`, `${name}-worker2`]);
    const rm = await kubelab(['image', 'rm', image, '--name', name], { home, env });
    expect(rm.code, rm.stdout + rm.stderr).toBe(0);
    const missing = await kubelab(['image', 'load', 'no-such-image:never', '--name', name], { home, env });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('image "no-such-image:never" is not in your docker engine');
  }, 180_000);

  it('says clearly that docker-env needs a running cluster', async () => {
    expect((await kubelab(['stop', name], { home, env })).code).toBe(0);
    const r = await kubelab(['docker-env', '--name', name], { home, env });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`cluster "${name}" is not running`);
  }, 120_000);
});
