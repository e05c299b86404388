/** The box-im endpoints, typed by the client core; uploads are Blobs here. */
import { createApi } from '@box-im/im-app-core';
import { Terminal } from '@box-im/im-common';
import { http } from './http';

export const api = createApi<Blob>(http, { terminal: Terminal.WEB });
