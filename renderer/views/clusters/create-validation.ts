// Checks of the create-cluster form, with the messages shown beside each field. They match the
// engine's rules (a lowercase DNS label of at most 40 characters; 1 to 10 nodes in the dashboard).

/** Longest cluster name (node names `<cluster>-control-plane` must stay DNS labels). */
export const MAX_NAME = 40;
/** Most nodes the dashboard creates (CreateClusterRequest: 1..10). */
export const MAX_NODES = 10;

/** Field errors of the form; empty when it can be sent. */
export interface CreateErrors {
  name?: string;
  nodes?: string;
}

/** Validates the form's raw values against the rules and the existing cluster names. */
export function validateCreate(name: string, nodes: string, existing: readonly string[]): CreateErrors {
  const errors: CreateErrors = {};
  if (!name) errors.name = 'Enter a name for the cluster.';
  else if (name.length > MAX_NAME) errors.name = `Use at most ${MAX_NAME} characters.`;
  else if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    errors.name = "Use lowercase letters, digits and '-', starting and ending with a letter or digit (e.g. dev).";
  } else if (existing.includes(name)) errors.name = `A cluster named ${name} already exists.`;
  const n = Number(nodes);
  if (!nodes.trim()) errors.nodes = 'Enter the number of nodes.';
  else if (!Number.isInteger(n) || n < 1 || n > MAX_NODES) {
    errors.nodes = `Give a whole number from 1 to ${MAX_NODES} (1 control-plane node plus workers).`;
  }
  return errors;
}
