// core/v1 kinds other than pods, namespaces, ConfigMaps and Secrets: services and endpoints, nodes,
// storage, quotas, events, service accounts, component statuses and replication controllers.
import type { TypeGroup } from '../resource-type.js';
import { CORE_EVENTS } from './core-events.js';
import { CORE_MISC } from './core-misc.js';
import { CORE_NODE } from './core-node.js';
import { CORE_QUOTA } from './core-quota.js';
import { CORE_SERVICE } from './core-service.js';
import { CORE_STORAGE } from './core-storage.js';

const PARTS = [CORE_SERVICE, CORE_NODE, CORE_EVENTS, CORE_MISC, CORE_STORAGE, CORE_QUOTA];

/** The rest of core/v1. */
export const CORE: TypeGroup = {
  resources: PARTS.flatMap((p) => p.resources),
  definitions: Object.assign({}, ...PARTS.map((p) => p.definitions)),
  embeddedProto: Object.assign({}, ...PARTS.map((p) => p.embeddedProto ?? {})),
};
