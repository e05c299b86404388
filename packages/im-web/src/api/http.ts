/** The client core's HTTP client (envelope, refresh and replay, errors) over fetch, under `/api`. */
import { HttpClient } from '@box-im/im-app-core';
import { locale } from '../i18n';
import { fetchTransport } from '../platform';
import { tokens } from './token';

export const API_BASE = '/api';

/** Every call names the UI language, so the server's error messages match the screen. */
export const http = new HttpClient({
  baseUrl: API_BASE,
  transport: fetchTransport,
  tokens,
  language: () => locale.value,
});
