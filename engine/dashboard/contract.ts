// The dashboard's HTTP and WebSocket contract, shared by the server (engine/dashboard), the
// renderer (renderer/) and the Electron shell (electron/). Types only: nothing here runs.
//
// Every request needs the session cookie, except GET /?token=T (the one-time launch URL), which
// sets it and redirects to /. The server listens on 127.0.0.1 only, refuses a Host other than
// 127.0.0.1:PORT / localhost:PORT (DNS rebinding) and, for WebSocket upgrades and every request
// that is not GET/HEAD, an Origin other than its own (cross-site requests, WebSocket hijacking).
// No CORS headers are ever sent.
//
// HTTP:
//   GET    /api/engine                      → EngineHealth
//   GET    /api/clusters                    → { clusters: ClusterSummary[] }
//   POST   /api/clusters  CreateClusterRequest → 202 OperationStarted
//   POST   /api/clusters/NAME/start         → 202 OperationStarted
//   POST   /api/clusters/NAME/stop          → 202 OperationStarted
//   DELETE /api/clusters/NAME               → 202 OperationStarted
//   GET    /api/operations/ID               → OperationState (poll fallback for the WebSocket)
//   GET    /api/clusters/NAME/docker-env    → { bash: string } (the `kubelab docker-env` snippet)
//   *      /k8s/NAME/<path>                 → the cluster's apiserver at <path> (e.g.
//          /k8s/kubelab/api/v1/namespaces/default/pods?watch=1), as cluster-admin; bodies, status
//          codes and Kubernetes Status errors pass through unchanged; watches and
//          `log?follow=true` stream (chunked). A stopped or unreachable cluster → 503 ApiError.
//   Errors of the dashboard's own endpoints: { error: string, hint?: string } with a 4xx/5xx code.
//
// WebSocket /ws (JSON text messages, one object each):
//   client → server: ClientMessage; server → client: ServerMessage. On connect the server sends
//   the current 'engine' and 'clusters' messages, then new ones whenever they change (it watches
//   the host's Docker state only while a socket is open). The server pings every 30 s.

/** A node as the clusters list shows it. */
export interface NodeSummary {
  name: string;
  role: 'control-plane' | 'worker';
  /** The node container's state (running, exited, …). */
  state: string;
  ready: boolean;
  ip?: string;
  podCIDR?: string;
}

/** A cluster as the clusters list shows it. */
export interface ClusterSummary {
  name: string;
  state: 'running' | 'stopped' | 'degraded';
  /** kubectl context name, once written. */
  context?: string;
  nodes: NodeSummary[];
  /** An operation (create/start/stop/delete) still running on it, if any. */
  operation?: OperationState;
}

/** Whether the Docker engine answers. */
export interface EngineHealth {
  docker: 'ok' | 'down';
  /** What went wrong and what to do, when down. */
  message?: string;
  /** What to do about it, when down (e.g. "start Docker …"). */
  hint?: string;
}

/** The body of every error the dashboard's own endpoints answer (and of /k8s when the cluster cannot be reached). */
export interface ApiError {
  error: string;
  hint?: string;
}

/** Body of POST /api/clusters. */
export interface CreateClusterRequest {
  name: string;
  /** 1 control plane + nodes-1 workers (1..10). */
  nodes: number;
}

/** 202 answer of the operations. */
export interface OperationStarted {
  operation: string;
}

/** One step of an operation (the engine's ProgressEvent). */
export interface ProgressStep {
  step: string;
  status: 'start' | 'info' | 'done' | 'fail';
  message?: string;
  elapsedMs?: number;
}

/** An operation on a cluster and how far it got. */
export interface OperationState {
  id: string;
  kind: 'create' | 'start' | 'stop' | 'delete';
  cluster: string;
  state: 'running' | 'succeeded' | 'failed';
  steps: ProgressStep[];
  error?: string;
}

/** Messages the renderer sends on /ws. */
export type ClientMessage =
  /** Follow an operation's progress: the server answers with every step so far, then each new one. */
  | { id: string; op: 'operation'; operation: string }
  /** Stop a subscription. */
  | { id: string; op: 'cancel' };

/** Messages the server sends on /ws. */
export type ServerMessage =
  | { id: string; type: 'progress'; step: ProgressStep }
  | { id: string; type: 'end'; state: OperationState['state']; error?: string }
  /** The clusters changed (created, started, stopped, deleted, node state): sent to every socket unasked. */
  | { type: 'clusters'; clusters: ClusterSummary[] }
  /** Docker engine health: sent to every socket on connect and whenever it changes (the "Docker down" banner). */
  | { type: 'engine'; engine: EngineHealth }
  | { id?: string; type: 'error'; error: string };
