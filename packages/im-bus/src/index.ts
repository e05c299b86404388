export type {
  Bus,
  ConsumeOptions,
  Consumer,
  NoticeHandler,
  QueueHandler,
  SetOptions,
  SwapOptions,
  SubscribeOptions,
  Subscription,
} from './bus';
export { MemoryBus } from './memory/memory-bus';
export { RedisBus, type RedisBusOptions } from './redis/redis-bus';
export { RoutingTable, type RenewOutcome, type UserTerminal } from './routing';
export { TokenRevocations, isRevokedBy } from './revocation';
export { NoticeKeptMap, type NoticeKeptMapOptions } from './notice-kept-map';
export { RevocationCache, REVOCATION_NOTICES, type RevocationCacheOptions } from './revocation-cache';
export { pushJson, consumeJson } from './queue';
export { BusLock } from './lock';
export { createBus } from './create-bus';
export { countInWindow, type WindowCount } from './window-counter';
export { ROUTE_CHANGED_CHANNEL, publishRouteChange, subscribeRouteChanges } from './route-notices';
