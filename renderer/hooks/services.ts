// The app's long-lived clients, created once at start-up and handed down through React context
// (no module-level singletons).
import { createContext, useContext } from 'react';
import { Discovery } from '../api/apply';
import { DashboardSocket, socketUrl } from '../api/socket';
import { ApiHealth } from './api-health';
import { WatchStore } from './watch-store';

/** Everything the views share. */
export interface Services {
  health: ApiHealth;
  watches: WatchStore;
  socket: DashboardSocket;
  discovery: Discovery;
}

/** Creates the services of a page at `location`. */
export function createServices(location: Pick<Location, 'protocol' | 'host'>): Services {
  const health = new ApiHealth();
  const socket = new DashboardSocket(socketUrl(location));
  socket.open();
  return { health, watches: new WatchStore(health), socket, discovery: new Discovery() };
}

/** React context carrying the Services. */
export const ServicesContext = createContext<Services | null>(null);

/** The app's Services (throws outside the provider: a programming error). */
export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices outside ServicesContext');
  return s;
}
