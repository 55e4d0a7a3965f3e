// Placeholder until this group's types are written.
import type { TypeGroup } from '../resource-type.js';

export const CORE_POD: TypeGroup = { resources: [], definitions: {} };
