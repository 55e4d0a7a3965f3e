// Versions kubelab reports (a module of its own so that every process can read them cheaply).

/** The Kubernetes minor version whose API kubelab serves. */
export const KUBERNETES_VERSION = { major: '1', minor: '34', patch: '0' };
/** kubelab's own version, shown in gitVersion. */
export const KUBELAB_VERSION = '0.1.0';
