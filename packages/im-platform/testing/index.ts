/**
 * Test support of the platform (test-only, never imported by `src`): fresh databases on
 * every engine, an API client, users made through the API, a movable clock, the admin
 * console's actions, and the platform on `inject()`. The system tests of
 * `@box-im/im-standalone` build on these.
 */
export { adminConsole, type AdminConsole } from './admin';
export { ApiClient, type ApiResult, type Fetch } from './api-client';
export { LIFTED_ADDRESS_LIMITS, startTestApp, testEnv, type TestApp, type TestAppOptions } from './app';
export { TestClock } from './clock';
export {
  createTestDatabase,
  DB_IMPLEMENTATIONS,
  ENGINES,
  REDIS_URL,
  type Engine,
  type TestDatabase,
} from './engines';
export { injectFetch } from './inject';
export { BOXIM_ACCESS_SECRET, boximToken } from './tokens';
export { userFactory, type AccountInput, type TestUser, type UserFactory } from './users';
