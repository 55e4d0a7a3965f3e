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
//   POST   /api/clusters/NAME/nodes/NODE/stop  → 202 OperationStarted (kind 'node-stop')
//   POST   /api/clusters/NAME/nodes/NODE/start → 202 OperationStarted (kind 'node-start')
//   POST   /api/clusters/NAME/use-context   → UseContextResult (kubectl's current-context := the cluster's)
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
//
// WebSocket /terminal?<TerminalTarget as query>&cols=C&rows=R (same gate as /ws: cookie, Host, Origin):
//   one terminal per socket. kind=host&cluster=C: a shell on the host with KUBECONFIG (that cluster
//   only), the docker-env variables and kubectl on PATH; kind=node&cluster=C&node=N: `bash -l` in
//   the node; kind=pod&cluster=C&namespace=NS&pod=P[&container=X]: a shell in the container through
//   the cluster's apiserver (like `kubectl exec -it`; the first container when X is left out).
//   cols/rows (optional, 1..1000) are the starting size. Binary frames carry the terminal's raw
//   bytes both ways (client → server: input; server → client: output). Text frames carry JSON:
//   TerminalClientMessage from the client, TerminalServerMessage from the server. The server sends
//   one 'exit' message, then closes the socket: when the process ended, or with `error` when the
//   terminal could not start (unknown cluster, node, pod or container; stopped cluster; too many
//   terminals: at most 32 per dashboard) or broke. Closing the socket ends the process.

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
  /** Its context is the kubeconfig's current-context (what kubectl talks to). */
  current?: boolean;
}

/** 200 answer of POST /api/clusters/NAME/use-context. */
export interface UseContextResult {
  /** The context now current. */
  context: string;
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
  kind: 'create' | 'start' | 'stop' | 'delete' | 'node-stop' | 'node-start';
  cluster: string;
  /** The node a node-stop/node-start acts on. */
  node?: string;
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

/** What a /terminal socket opens a shell in (its query parameters). */
export type TerminalTarget =
  | { kind: 'host'; cluster: string }
  | { kind: 'node'; cluster: string; node: string }
  | { kind: 'pod'; cluster: string; namespace: string; pod: string; container?: string };

/** Text messages the renderer sends on /terminal. */
export type TerminalClientMessage = { type: 'resize'; cols: number; rows: number };

/** Text messages the server sends on /terminal: the last one before the socket closes. */
export type TerminalServerMessage = { type: 'exit'; code?: number; signal?: string; error?: string };
