import fastifyHelmet from '@fastify/helmet';
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

/**
 * Security headers on the API and the web client (`@fastify/helmet`): the CSP above
 * (frame-ancestors 'self'), `X-Content-Type-Options: nosniff`, `Referrer-Policy:
 * no-referrer`, `X-Frame-Options: SAMEORIGIN` and helmet's other defaults. Not set: HSTS (the
 * TLS terminator's decision) and `Cross-Origin-Resource-Policy` (box-im's client may load
 * from another origin). `/files/*` keep their own stricter headers: their routes (the disk
 * driver's static ones included) get `helmet: false` before helmet's own `onRoute` hook reads it.
 */
export async function installSecurityHeaders(app: Api): Promise<void> {
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith(`${FILES_PATH}/`)) route.helmet = false;
  });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
    crossOriginResourcePolicy: false,
  });
}
