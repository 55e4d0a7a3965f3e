// Events the controllers report (core/v1 Event, as `kubectl describe` and `kubectl get events`
// show them). Reporting is best effort: a failed write is logged, never retried.
import { randomBytes } from 'node:crypto';
import type { ApiObject } from '../api/resource-type.js';
import type { RestClient } from '../client/rest-client.js';
import { nullLogger, type Logger } from '../log/logger.js';
import { rfc3339 } from './workload-util.js';

/** Records events about objects on behalf of one component. */
export interface EventRecorder {
  /** Reports `reason`/`message` about `obj` of `kind` (e.g. ['apps/v1', 'ReplicaSet']); never throws. */
  event(obj: ApiObject, kind: readonly [string, string], type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/** A recorder that writes core/v1 Events through `client` as `component`. */
export function eventRecorder(client: Pick<RestClient, 'create'>, component: string, log: Logger = nullLogger): EventRecorder {
  return {
    event(obj, [apiVersion, kind], type, reason, message) {
      const ns = obj.metadata.namespace || 'default';
      const now = rfc3339(Date.now());
      const body = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${obj.metadata.name}.${Date.now().toString(16)}${randomBytes(2).toString('hex')}`, namespace: ns },
        involvedObject: {
          apiVersion,
          kind,
          name: obj.metadata.name,
          namespace: obj.metadata.namespace,
          uid: obj.metadata.uid,
          resourceVersion: obj.metadata.resourceVersion,
        },
        reason,
        message,
        type,
        source: { component },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        reportingComponent: component,
        reportingInstance: '',
      };
      client.create(`/api/v1/namespaces/${encodeURIComponent(ns)}/events`, body).catch((err: Error) => {
        log.v(1).info(`${component}: could not record event ${reason} for ${ns}/${obj.metadata.name}: ${err.message}`);
      });
    },
  };
}
