/**
 * The client core's HTTP client and typed endpoints over uni's transport. Uploads are temp
 * file paths here and, like every call, carry the access token (box-im's app sends none).
 * Tokens live in uni storage: the app stays logged in across restarts.
 */
import { createApi, HttpClient, tokenStore } from '@box-im/im-app-core';
import { Terminal } from '@box-im/im-common';
import { apiBase, uniStorage, uniTransport } from './platform';

export const tokens = tokenStore(uniStorage, uniStorage);

export const http = new HttpClient({
  get baseUrl() {
    return apiBase();
  },
  transport: uniTransport,
  tokens,
  timeoutMs: 30_000,
});

export const api = createApi<string>(http, { terminal: Terminal.APP });
