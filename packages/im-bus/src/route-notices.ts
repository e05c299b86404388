import type { Bus, Subscription } from './bus';
import type { UserTerminal } from './routing';

/**
 * Channel of route change notices: `{userId}:{terminal}` each time a push node writes or
 * removes that pair's route (login, logout, displacement, a route restored after a Redis
 * restart), or finds no connection for a pair routed to it. Pushers that cache routes drop
 * the pair's entry. Not a box-im channel: box-im's Java nodes publish nothing, so pushers
 * next to them must not cache routes.
 */
export const ROUTE_CHANGED_CHANNEL = 'im:route:changed';

/** The notice telling the route caches that the route of `who` changed (`Bus.swap`'s `changeNotice`). */
export function routeChangeNotice(who: UserTerminal): { channel: string; message: string } {
  return { channel: ROUTE_CHANGED_CHANNEL, message: `${who.userId}:${who.terminal}` };
}

/** Tell the route caches that the route of `who` changed. Best effort: a cache's time to live bounds a lost notice. */
export async function publishRouteChange(bus: Bus, who: UserTerminal): Promise<void> {
  const { channel, message } = routeChangeNotice(who);
  await bus.publish(channel, message).catch(() => undefined);
}

/**
 * Receive route change notices; `onLive(false)` when some may be missed from now on (the
 * subscriber's connection failed), `onLive(true)` once they are heard again. Malformed
 * notices are ignored.
 */
export function subscribeRouteChanges(
  bus: Bus,
  onChange: (who: UserTerminal) => void,
  onLive: (live: boolean) => void,
): Promise<Subscription> {
  return bus.subscribe(
    ROUTE_CHANGED_CHANNEL,
    (message) => {
      const colon = message.indexOf(':');
      const userId = Number(message.slice(0, colon));
      const terminal = Number(message.slice(colon + 1));
      if (colon > 0 && Number.isSafeInteger(userId) && Number.isSafeInteger(terminal))
        onChange({ userId, terminal });
    },
    { onLive },
  );
}
