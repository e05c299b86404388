export { IMClient, type IMClientOptions } from './im-client';
export type { GroupMessage, IMClientLogger, PrivateMessage, ResultListener, SystemMessage } from './types';
