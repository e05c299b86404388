import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { Api } from './api';
import { FILES_PATH } from '../services/file.service';

/**
 * What the web clients need from the browser's Content-Security-Policy: im-web (Vite build)
 * and box-im's Vue 2 client load their scripts from here only; Element's components set
 * inline styles; pictures, voice and video come from `/files/`, S3 or any http(s) avatar URL,
 * and from `blob:` previews; sockets go to the push node, possibly on another host or port;
 * uploads read what was picked or recorded back from `blob:`/`data:` URLs (uni-app's H5
 * uploader does); calls play `mediastream:` sources.
 */
const directives = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:', 'http:', 'https:'],
  mediaSrc: ["'self'", 'data:', 'blob:', 'mediastream:', 'http:', 'https:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'", 'ws:', 'wss:', 'http:', 'https:', 'blob:', 'data:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'self'"],
  scriptSrcAttr: ["'none'"],
  // Deployments on plain http (a LAN, `npm start`) must not be upgraded to https.
  upgradeInsecureRequests: null,
};

/** Helmet's options: the CSP above and its defaults but HSTS and CORP (see below). */
export const SECURITY_HEADER_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: false,
  crossOriginResourcePolicy: false,
};

/** What helmet does to every response: headers set (in order) and headers removed. */
export interface StaticHeaders {
  set: [name: string, value: string][];
  removed: string[];
}

/**
 * Helmet's headers computed once: its middleware runs against a recorder at start-up, so each
 * response only copies the strings (`@fastify/helmet` built helmet again and parsed the CSP
 * directives on every request, ~4 % of the server's CPU per message). Valid because every
 * directive above is a constant (helmet also accepts per-request functions; none here).
 */
export function staticSecurityHeaders(): StaticHeaders {
  const out: StaticHeaders = { set: [], removed: [] };
  const recorder = {
    setHeader(name: string, value: string) {
      out.set.push([name, String(value)]);
    },
    removeHeader(name: string) {
      out.removed.push(name);
    },
  };
  let failed: unknown;
  helmet(SECURITY_HEADER_OPTIONS)(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      failed = error;
    },
  );
  if (failed !== undefined) throw new Error('helmet refused the security header options', { cause: failed });
  return out;
}

/**
 * Security headers on the API and the web client (helmet): the CSP above
 * (frame-ancestors 'self'), `X-Content-Type-Options: nosniff`, `Referrer-Policy:
 * no-referrer`, `X-Frame-Options: SAMEORIGIN` and helmet's other defaults. Not set: HSTS (the
 * TLS terminator's decision) and `Cross-Origin-Resource-Policy` (box-im's client may load
 * from another origin). `/files/*` keep their own stricter headers: their routes (the disk
 * driver's static ones included) are left out. Unknown routes (404s) get them too.
 */
export function installSecurityHeaders(app: Api): void {
  const { set, removed } = staticSecurityHeaders();
  const skipped = new Set<string>();
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith(`${FILES_PATH}/`)) skipped.add(route.url);
  });
  app.addHook('onRequest', (request, reply, done) => {
    const route = request.routeOptions.url;
    if (route === undefined || !skipped.has(route)) {
      const raw = reply.raw;
      for (const name of removed) raw.removeHeader(name);
      for (const [name, value] of set) raw.setHeader(name, value);
    }
    done();
  });
}
