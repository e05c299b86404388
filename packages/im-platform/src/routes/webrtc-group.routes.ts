import { Type } from 'typebox';
import { IdSchema } from './bounds';
import type { AppContext } from '../context';
import type { Api } from '../http/api';
import { envelope, ok } from '../http/envelope';

const tags = ['webrtc'];
const GroupQuery = Type.Object({ groupId: IdSchema() });
/** box-im's `WebrtcUserInfo` as clients send it; the server only reads the id. */
const UserInfo = Type.Object({ id: IdSchema() }, { additionalProperties: true });
const UserInfos = Type.Array(UserInfo, { maxItems: 64 });
const Signal = Type.String({ maxLength: 64 * 1024 });

const WebrtcUserInfoVO = Type.Object({
  id: Type.Number(),
  nickName: Type.String(),
  headImage: Type.String(),
  isCamera: Type.Boolean(),
  isMicroPhone: Type.Boolean(),
});
const WebrtcGroupInfoVO = Type.Object({
  isChating: Type.Boolean(),
  host: Type.Union([WebrtcUserInfoVO, Type.Null()]),
  userInfos: Type.Array(WebrtcUserInfoVO),
  invitedUserInfos: Type.Array(WebrtcUserInfoVO),
  startTime: Type.Union([Type.Number(), Type.Null()]),
});

/**
 * Group calls, shaped the way box-im's web client (`api/rtcGroupApi.js`) calls them: actions
 * on a call take `?groupId=`, the rest a JSON body. SDP and candidates are JSON text.
 */
export function webrtcGroupRoutes(app: Api, { services }: AppContext): void {
  const rtc = services.webrtcGroup;
  type Session = Parameters<typeof rtc.quit>[0];
  const byQuery = (path: string, summary: string, run: (me: Session, groupId: number) => Promise<void>) =>
    app.post(
      `/webrtc/group/${path}`,
      { schema: { tags, summary, querystring: GroupQuery, response: { 200: envelope() } } },
      async (request) => ok(await run(request.auth, request.query.groupId)),
    );
  const withUsers = (
    path: string,
    summary: string,
    run: (me: Session, groupId: number, users: { id: number }[]) => Promise<void>,
  ) =>
    app.post(
      `/webrtc/group/${path}`,
      {
        schema: {
          tags,
          summary,
          body: Type.Object({ groupId: IdSchema(), userInfos: UserInfos }),
          response: { 200: envelope() },
        },
      },
      async (request) => ok(await run(request.auth, request.body.groupId, request.body.userInfos)),
    );
  const signal = (
    path: 'offer' | 'answer' | 'candidate',
    summary: string,
    run: (me: Session, groupId: number, userId: number, text: string) => Promise<void>,
  ) =>
    app.post(
      `/webrtc/group/${path}`,
      {
        schema: {
          tags,
          summary,
          body: Type.Object({ groupId: IdSchema(), userId: IdSchema(), [path]: Signal }),
          response: { 200: envelope() },
        },
      },
      async (request) => {
        const body = request.body as { groupId: number; userId: number } & Record<string, string>;
        return ok(await run(request.auth, body.groupId, body.userId, body[path]!));
      },
    );

  withUsers('setup', 'Start a call in a group, ringing the members listed', (me, g, u) =>
    rtc.setup(me, g, u),
  );
  byQuery('accept', 'Accept the call I am invited to', (me, g) => rtc.accept(me, g));
  byQuery('reject', 'Refuse the call I am invited to', (me, g) => rtc.reject(me, g));
  app.post(
    '/webrtc/group/failed',
    {
      schema: {
        tags,
        summary: 'I could not take the call (e.g. no answer, no device)',
        body: Type.Object({ groupId: IdSchema(), reason: Type.String({ maxLength: 255 }) }),
        response: { 200: envelope() },
      },
    },
    async (request) => ok(await rtc.failed(request.auth, request.body.groupId, request.body.reason)),
  );
  byQuery('join', 'Join the call running in the group', (me, g) => rtc.join(me, g));
  withUsers('invite', 'Ring more members into the call', (me, g, u) => rtc.invite(me, g, u));
  signal('offer', 'Relay an SDP offer to one participant', (me, g, u, s) => rtc.offer(me, g, u, s));
  signal('answer', 'Relay an SDP answer to one participant', (me, g, u, s) => rtc.answer(me, g, u, s));
  signal('candidate', 'Relay an ICE candidate to one participant', (me, g, u, s) =>
    rtc.candidate(me, g, u, s),
  );
  byQuery('quit', 'Leave the call', (me, g) => rtc.quit(me, g));
  byQuery('cancel', 'The host hangs up, withdrawing invitations still ringing', (me, g) => rtc.cancel(me, g));
  app.post(
    '/webrtc/group/device',
    {
      schema: {
        tags,
        summary: 'My camera / microphone changed',
        body: Type.Object({ groupId: IdSchema(), isCamera: Type.Boolean(), isMicroPhone: Type.Boolean() }),
        response: { 200: envelope() },
      },
    },
    async (request) =>
      ok(
        await rtc.device(
          request.auth,
          request.body.groupId,
          request.body.isCamera,
          request.body.isMicroPhone,
        ),
      ),
  );
  byQuery('heartbeat', 'Keep me in the call (every 15 s)', (me, g) => rtc.heartbeat(me, g));
  app.get(
    '/webrtc/group/info',
    {
      schema: {
        tags,
        summary: 'The call running in a group: host, participants, invited',
        querystring: GroupQuery,
        response: { 200: envelope(WebrtcGroupInfoVO) },
      },
    },
    async (request) => ok(await rtc.info(request.auth, request.query.groupId)),
  );
}
