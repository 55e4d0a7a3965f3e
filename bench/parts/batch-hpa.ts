// Parts of npm run bench:pods about the workload controllers: a Job of 10 completions run 5 at
// a time beside its floor (10 sequential `docker run`s of the same container on one node), and the
// time from an autoscaler's decision to the new pods being Ready beside a plain `docker run -d`.
// (Files directly in bench/ are the entry points; this folder holds their parts.)
import type { RestClient } from '../../engine/client/rest-client.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` every 100 ms until it returns a value (or `ms` pass). */
async function poll<T>(what: string, fn: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

interface JobStatus {
  status?: { succeeded?: number; conditions?: Array<{ type: string; status: string }> };
}

/** What the Job part measured (ms). */
export interface JobFigures {
  jobMs: number;
  floorMs: number;
}

/**
 * Times a Job of `completions` completions with `parallelism` (create request → Complete seen)
 * and, as its floor, the same number of sequential `docker run`s of the container on one node.
 */
export async function benchJob(client: RestClient, inNode: (script: string) => Promise<string>, image: string, completions = 10, parallelism = 5): Promise<JobFigures> {
  const floorOut = await inNode(`s=$(date +%s%N); for i in $(seq 1 ${completions}); do docker run --rm --label io.kubelab.test=bench-pods-floor ${image} true; done; e=$(date +%s%N); echo $(( (e - s) / 1000000 ))`);
  const floorMs = Number(floorOut.trim());
  const began = performance.now();
  await client.create('/apis/batch/v1/namespaces/bench/jobs', {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'bench-job', namespace: 'bench' },
    spec: { completions, parallelism, template: { spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image, imagePullPolicy: 'IfNotPresent', command: ['true'] }] } } },
  });
  await poll('the bench Job to complete', async () => {
    const job = await client.get<JobStatus>('/apis/batch/v1/namespaces/bench/jobs/bench-job');
    return job.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ? true : undefined;
  }, 300_000);
  return { jobMs: performance.now() - began, floorMs };
}

interface DeploymentView {
  spec: { replicas?: number };
  status?: { readyReplicas?: number };
}

/** What the autoscaler part measured (ms). */
export interface HpaFigures {
  /** From the deployment's replicas being raised by the HPA to all of them Ready. */
  decisionToReadyMs: number;
  /** How many replicas the HPA asked for. */
  replicas: number;
  /** From the HPA's creation to its first scale-up (includes metric collection and the sync period). */
  createToDecisionMs: number;
}

/** Runs a busy Deployment with an HPA and times its first scale-up until the new pods are Ready. */
export async function benchHpa(client: RestClient, image: string): Promise<HpaFigures> {
  const dep = '/apis/apps/v1/namespaces/bench/deployments';
  await client.create(dep, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'burn', namespace: 'bench' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'burn' } },
      template: {
        metadata: { labels: { app: 'burn' } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [{ name: 'burn', image, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'while :; do :; done'], resources: { requests: { cpu: '100m' } }, readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 } }],
        },
      },
    },
  });
  await poll('burn Ready', async () => ((await client.get<DeploymentView>(`${dep}/burn`)).status?.readyReplicas === 1 ? true : undefined), 120_000);
  const created = performance.now();
  await client.create('/apis/autoscaling/v2/namespaces/bench/horizontalpodautoscalers', {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'burn', namespace: 'bench' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'burn' },
      minReplicas: 1,
      maxReplicas: 4,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    },
  });
  const replicas = await poll('the HPA to scale burn up', async () => {
    const r = (await client.get<DeploymentView>(`${dep}/burn`)).spec.replicas ?? 1;
    return r > 1 ? r : undefined;
  }, 180_000);
  const decided = performance.now();
  await poll('the new burn pods Ready', async () => ((await client.get<DeploymentView>(`${dep}/burn`)).status?.readyReplicas ?? 0) >= replicas ? true : undefined, 180_000);
  return { decisionToReadyMs: performance.now() - decided, replicas, createToDecisionMs: decided - created };
}
