// What every kind's overview in the details pane receives.
import type { KubeObject } from '../../api/types';
import type { Route } from '../../route';

/** Props of a kind's Details component. */
export interface DetailsProps<T extends KubeObject = KubeObject> {
  cluster: string;
  obj: T;
  /** Moves the app (e.g. to a pod's logs). */
  navigate(patch: Partial<Route>): void;
  /** Secrets: whether the values are shown. */
  revealed: boolean;
  setRevealed(revealed: boolean): void;
}
