/**
 * Test-only entry of the composition root (`@box-im/im-standalone/testing`): the whole
 * system on a port for socket tests and browser tests, a cluster of platform + push nodes
 * on Redis, a protocol-speaking WebSocket client, and chromium for any web client's
 * end-to-end suite. Setup goes through HTTP, the WebSocket and the bus (the admin
 * console's orders), as a client or box-im's admin console would do it.
 */
export { startTestServer, type TestServer, type TestServerOptions, type TestUser } from './server';
export {
  startCluster,
  type ClusterNode,
  type ClusterPlatform,
  type ClusterOptions,
  type ClusterUser,
  type TestCluster,
} from './cluster';
export { TestSocket, type Frame } from './ws-client';
export { browserUser, chromiumPath, fakeMediaArgs, launchChromium } from './browser';
export { buildStale, makePng, newestMtime, screenshot, testFileName } from './e2e';
export {
  ApiClient,
  boximToken,
  createTestDatabase,
  ENGINES,
  REDIS_URL,
  TestClock,
  type AccountInput,
  type ApiResult,
  type Engine,
  type TestDatabase,
} from '@box-im/im-platform/testing';
