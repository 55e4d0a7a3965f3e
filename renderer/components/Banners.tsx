// The degraded-state banners: Docker down, the dashboard server not answering, the selected
// cluster stopped or degraded, its apiserver unreachable. Each says what to do and goes away by
// itself when the cause does.
import { useState, useSyncExternalStore } from 'react';
import type { ClusterSummary } from '../../engine/dashboard/contract';
import { startCluster } from '../api/dashboard';
import { errorText } from '../api/http';
import { useServices } from '../hooks/services';
import type { EngineHealthState } from '../hooks/use-engine-health';
import { Banner } from './Banner';

/** Props: the engine's health, the selected cluster (if any) and how to follow a start. */
export interface BannersProps {
  engine: EngineHealthState;
  cluster?: ClusterSummary;
  clusterName?: string;
  clustersLoaded: boolean;
  onStarted(operation: string, cluster: string): void;
}

/** The banners that apply now (nothing when all is well). */
export function Banners({ engine, cluster, clusterName, clustersLoaded, onStarted }: BannersProps) {
  const { health } = useServices();
  useSyncExternalStore(health.subscribe, health.getVersion);
  const [startError, setStartError] = useState<string>();
  const problem = clusterName ? health.problem(clusterName) : undefined;
  const dockerDown = engine.health?.docker === 'down';
  const stopped = cluster?.state === 'stopped';
  const starting = cluster?.operation?.state === 'running';

  return (
    <div className="banners">
      {engine.serverError && (
        <Banner kind="error" title="The kubelab dashboard server does not answer." testId="banner-server">
          Is `kubelab dashboard` (or the app) still running? This page reconnects by itself.
        </Banner>
      )}
      {dockerDown && (
        <Banner kind="error" title="The Docker engine is not reachable." testId="banner-docker">
          {engine.health?.message ? `${engine.health.message}. ` : ''}
          {engine.health?.hint ? `To fix: ${engine.health.hint}. ` : 'Start Docker. '}
          Clusters cannot start or answer until it is back; this banner goes away by itself then.
        </Banner>
      )}
      {clusterName && clustersLoaded && !cluster && (
        <Banner kind="warning" title={`There is no cluster named ${clusterName}.`} testId="banner-no-cluster">
          It may have been deleted. Choose another one under Clusters.
        </Banner>
      )}
      {cluster && stopped && !dockerDown && (
        <Banner kind="warning" title={`Cluster ${cluster.name} is stopped.`} testId="banner-stopped">
          {starting ? (
            'It is starting…'
          ) : (
            <>
              Start it to see its resources.{' '}
              <button
                type="button"
                data-testid="banner-start"
                onClick={() => {
                  setStartError(undefined);
                  startCluster(cluster.name).then(
                    (op) => onStarted(op, cluster.name),
                    (err: unknown) => setStartError(errorText(err)),
                  );
                }}
              >
                Start {cluster.name}
              </button>
              {startError && <span className="error-text"> {startError}</span>}
            </>
          )}
        </Banner>
      )}
      {cluster && cluster.state === 'degraded' && (
        <Banner kind="warning" title={`Cluster ${cluster.name} is degraded.`} testId="banner-degraded">
          Not every node is running: {cluster.nodes.filter((n) => n.state !== 'running' || !n.ready).map((n) => `${n.name} (${n.state}${n.ready ? '' : ', not ready'})`).join(', ')}.
        </Banner>
      )}
      {problem && !stopped && !dockerDown && (cluster || !clustersLoaded) && (
        <Banner kind="error" title={`The apiserver of ${clusterName} is not reachable.`} testId="banner-apiserver">
          {problem.error}. Showing the last known state; retrying by itself.
        </Banner>
      )}
    </div>
  );
}
