/** The client core's HTTP client (envelope, refresh and replay, errors) over fetch, under `/api`. */
import { HttpClient } from '@box-im/im-app-core';
import { fetchTransport } from '../platform';
import { tokens } from './token';

export const API_BASE = '/api';

export const http = new HttpClient({ baseUrl: API_BASE, transport: fetchTransport, tokens });
