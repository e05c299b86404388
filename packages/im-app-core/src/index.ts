/**
 * @box-im/im-app-core: what im-web and im-uniapp do identically, free of Vue, DOM and uni APIs.
 * Hosts inject the platform (socket, clock, HTTP transport, storage, random) and their stores.
 */
export * from './platform';
export * from './i18n/messages';

export * from './model/status';
export * from './model/types';
export * from './model/kinds';
export * from './model/summary';
export * from './model/convert';
export * from './model/merge';
export * from './model/tmp-id';

export * from './http/errors';
export * from './http/tokens';
export * from './http/client';
export * from './http/api';
export * from './http/social-api';

export * from './ws/backoff';
export * from './ws/codes';
export * from './ws/client';

export * from './chats/limits';
export * from './chats/persist';
export * from './chats/book';

export * from './sync/buffer';
export * from './sync/contacts';
export * from './sync/read';
export * from './sync/router';
export * from './sync/outbox';
export * from './sync/session';
export * from './sync/typing';
export * from './sync/prefs';

export * from './rtc/media';
export * from './rtc/private-call';
export * from './rtc/group-call';

export * from './social/requests';
export * from './social/group-roles';
export * from './social/pick';
export * from './messaging/quote';
export * from './messaging/record';
export * from './messaging/search';
export * from './messaging/forward';
export * from './messaging/jump';
