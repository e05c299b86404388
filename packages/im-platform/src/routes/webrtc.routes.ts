import { Type } from 'typebox';
import type { AppContext } from '../context';
import type { Api } from '../http/api';
import { envelope, ok } from '../http/envelope';

const tags = ['webrtc'];
const Uid = Type.Object({ uid: Type.Integer({ minimum: 1 }) });

/**
 * box-im's web client posts SDP and ICE candidates as a JSON string with a JSON content type,
 * so the parsed body is an object; the signal relayed is its JSON text either way.
 */
function signalText(body: unknown): string {
  if (body === undefined || body === null) return '';
  return typeof body === 'string' ? body : JSON.stringify(body);
}

export function webrtcRoutes(app: Api, { services }: AppContext): void {
  const rtc = services.webrtc;
  const simple = (path: string, summary: string, run: typeof rtc.reject) =>
    app.post(
      `/webrtc/private/${path}`,
      { schema: { tags, summary, querystring: Uid, response: { 200: envelope() } } },
      async (request) => ok(await run.call(rtc, request.auth, request.query.uid)),
    );
  const withSignal = (path: string, summary: string, run: typeof rtc.accept) =>
    app.post(
      `/webrtc/private/${path}`,
      { schema: { tags, summary, querystring: Uid, response: { 200: envelope() } } },
      async (request) => ok(await run.call(rtc, request.auth, request.query.uid, signalText(request.body))),
    );

  app.post(
    '/webrtc/private/call',
    {
      schema: {
        tags,
        summary: 'Call a friend; the body is the SDP offer',
        querystring: Type.Object({
          uid: Type.Integer({ minimum: 1 }),
          mode: Type.Optional(Type.Union([Type.Literal('video'), Type.Literal('voice')])),
        }),
        response: { 200: envelope() },
      },
    },
    async (request) =>
      ok(await rtc.call(request.auth, request.query.uid, request.query.mode ?? 'video', signalText(request.body))),
  );
  withSignal('accept', 'Answer a call; the body is the SDP answer', rtc.accept);
  simple('reject', 'Refuse a call', rtc.reject);
  simple('cancel', 'Caller hangs up before the answer', rtc.cancel);
  app.post(
    '/webrtc/private/failed',
    {
      schema: {
        tags,
        summary: 'The call could not be set up (e.g. no answer)',
        querystring: Type.Object({ uid: Type.Integer({ minimum: 1 }), reason: Type.String({ maxLength: 255 }) }),
        response: { 200: envelope() },
      },
    },
    async (request) => ok(await rtc.failed(request.auth, request.query.uid, request.query.reason)),
  );
  simple('handup', 'Hang up', rtc.handup);
  withSignal('candidate', 'Relay an ICE candidate (the body)', rtc.candidate);
  simple('heartbeat', 'Keep the call session alive (every 15 s)', rtc.heartbeat);
}
