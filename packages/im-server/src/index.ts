export { PushServer, type PushServerOptions } from './push-server';
export { listenPushNode, type ListeningNode } from './node-http';
