// Typed calls to the dashboard's own endpoints (see engine/dashboard/contract.ts).
import type {
  ClusterSummary,
  CreateClusterRequest,
  EngineHealth,
  OperationStarted,
  OperationState,
  UseContextResult,
} from '../../engine/dashboard/contract';
import { requestJson } from './http';

const cluster = (name: string) => `/api/clusters/${encodeURIComponent(name)}`;

/** Whether the Docker engine answers. */
export const getEngineHealth = (signal?: AbortSignal) => requestJson<EngineHealth>('/api/engine', signal ? { signal } : {});

/** All clusters with their state. */
export const listClusters = async (): Promise<ClusterSummary[]> => (await requestJson<{ clusters: ClusterSummary[] }>('/api/clusters')).clusters;

/** Starts creating a cluster; resolves to the operation id. */
export const createCluster = async (req: CreateClusterRequest): Promise<string> =>
  (await requestJson<OperationStarted>('/api/clusters', { method: 'POST', json: req })).operation;

/** Starts a stopped cluster; resolves to the operation id. */
export const startCluster = async (name: string): Promise<string> =>
  (await requestJson<OperationStarted>(`${cluster(name)}/start`, { method: 'POST' })).operation;

/** Stops a running cluster; resolves to the operation id. */
export const stopCluster = async (name: string): Promise<string> =>
  (await requestJson<OperationStarted>(`${cluster(name)}/stop`, { method: 'POST' })).operation;

/** Deletes a cluster; resolves to the operation id. */
export const deleteCluster = async (name: string): Promise<string> =>
  (await requestJson<OperationStarted>(cluster(name), { method: 'DELETE' })).operation;

/** An operation's state (the poll fallback when the WebSocket is down). */
export const getOperation = (id: string) => requestJson<OperationState>(`/api/operations/${encodeURIComponent(id)}`);

/** The `kubelab docker-env` snippet for bash. */
export const getDockerEnv = async (name: string): Promise<string> => (await requestJson<{ bash: string }>(`${cluster(name)}/docker-env`)).bash;

/** Stops one node of a cluster (a node failure on purpose); resolves to the operation id. */
export const stopNode = async (name: string, node: string): Promise<string> =>
  (await requestJson<OperationStarted>(`${cluster(name)}/nodes/${encodeURIComponent(node)}/stop`, { method: 'POST' })).operation;

/** Starts a stopped node of a cluster again; resolves to the operation id. */
export const startNode = async (name: string, node: string): Promise<string> =>
  (await requestJson<OperationStarted>(`${cluster(name)}/nodes/${encodeURIComponent(node)}/start`, { method: 'POST' })).operation;

/** Makes the cluster's context kubectl's current-context; resolves to the context name. */
export const switchContext = async (name: string): Promise<string> =>
  (await requestJson<UseContextResult>(`${cluster(name)}/use-context`, { method: 'POST' })).context;
