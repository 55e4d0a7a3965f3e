// The scheduler's decision logic, pure: give it the pod and every node with the pods bound to it,
// get back a node or upstream's FailedScheduling message. The process around it (informers,
// binding) lives elsewhere.
export { nodeInfo, hostPorts, type NodeInfo, type HostPort } from './node-info.js';
export { schedule, runFilters, scoreNodes, FILTERS, SCORES, type ScheduleOptions, type ScheduleResult } from './schedule.js';
export type { PreemptionPlan } from './preemption.js';
export { milliCpu, units, amounts, podRequests, type Amounts } from './resources.js';
export type { Pod, Node, Taint, Rejection } from './types.js';
