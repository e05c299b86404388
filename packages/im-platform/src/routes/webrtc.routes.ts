import { Type } from 'typebox';
import type { AppContext } from '../context';
import type { Api } from '../http/api';
import { envelope, ok } from '../http/envelope';
import { Id as IdSchema } from '../http/schemas';

const tags = ['webrtc'];
const Uid = Type.Object({ uid: IdSchema() });

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
  type Session = Parameters<typeof rtc.reject>[0];
  const simple = (path: string, summary: string, run: (me: Session, uid: number) => Promise<void>) =>
    app.post(
      `/webrtc/private/${path}`,
      { schema: { tags, summary, querystring: Uid, response: { 200: envelope() } } },
      async (request) => ok(await run(request.auth, request.query.uid)),
    );
  const withSignal = (
    path: string,
    summary: string,
    run: (me: Session, uid: number, signal: string) => Promise<void>,
  ) =>
    app.post(
      `/webrtc/private/${path}`,
      { schema: { tags, summary, querystring: Uid, response: { 200: envelope() } } },
      async (request) => ok(await run(request.auth, request.query.uid, signalText(request.body))),
    );

  app.post(
    '/webrtc/private/call',
    {
      schema: {
        tags,
        summary: 'Call a friend; the body is the SDP offer',
        querystring: Type.Object({
          uid: IdSchema(),
          mode: Type.Optional(Type.Union([Type.Literal('video'), Type.Literal('voice')])),
        }),
        response: { 200: envelope() },
      },
    },
    async (request) =>
      ok(
        await rtc.call(
          request.auth,
          request.query.uid,
          request.query.mode ?? 'video',
          signalText(request.body),
        ),
      ),
  );
  withSignal('accept', 'Answer a call; the body is the SDP answer', (me, uid, s) => rtc.accept(me, uid, s));
  simple('reject', 'Refuse a call', (me, uid) => rtc.reject(me, uid));
  simple('cancel', 'Caller hangs up before the answer', (me, uid) => rtc.cancel(me, uid));
  app.post(
    '/webrtc/private/failed',
    {
      schema: {
        tags,
        summary: 'The call could not be set up (e.g. no answer)',
        querystring: Type.Object({
          uid: IdSchema(),
          reason: Type.String({ maxLength: 255 }),
        }),
        response: { 200: envelope() },
      },
    },
    async (request) => ok(await rtc.failed(request.auth, request.query.uid, request.query.reason)),
  );
  simple('handup', 'Hang up', (me, uid) => rtc.handup(me, uid));
  withSignal('candidate', 'Relay an ICE candidate (the body)', (me, uid, s) => rtc.candidate(me, uid, s));
  simple('heartbeat', 'Keep the call session alive (every 15 s)', (me, uid) => rtc.heartbeat(me, uid));
}
