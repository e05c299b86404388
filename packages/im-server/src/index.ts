export { PushServer, type PushServerOptions } from './push-server';
export { listenPushNode, type ListeningNode } from './node-http';
export { PUSH_NODE_FLAGS } from './node-flags';
