import { GroupMemberVO, GroupVO } from '@box-im/im-common';
import { Type } from 'typebox';
import type { AppContext } from '../context';
import type { Api } from '../http/api';
import { envelope, ok } from '../http/envelope';
import { Id as IdSchema } from '../http/schemas';

const tags = ['group'];
const Id = IdSchema();
const GroupIdParams = Type.Object({ groupId: Id });
const optionalText = (maxLength: number) =>
  Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()]));
const undef = <T>(v: T | null | undefined): T | undefined => v ?? undefined;

/** What clients post for create/modify (a whole GroupVO; unknown and server-owned fields are ignored). */
const GroupFields = {
  name: Type.String({ minLength: 1, maxLength: 20 }),
  headImage: optionalText(255),
  headImageThumb: optionalText(255),
  notice: optionalText(1024),
  remarkNickName: optionalText(20),
  remarkGroupName: optionalText(20),
};

export function groupRoutes(app: Api, { services }: AppContext): void {
  const groups = services.group;
  const members = services.groupMember;

  app.post(
    '/group/create',
    {
      schema: {
        tags,
        summary: 'Create a group owned by the caller',
        body: Type.Object(GroupFields),
        response: { 200: envelope(GroupVO) },
      },
    },
    async ({ auth, body }) =>
      ok(
        await groups.create(auth, {
          name: body.name,
          headImage: undef(body.headImage),
          headImageThumb: undef(body.headImageThumb),
          notice: undef(body.notice),
          remarkNickName: undef(body.remarkNickName),
          remarkGroupName: undef(body.remarkGroupName),
        }),
      ),
  );

  app.put(
    '/group/modify',
    {
      schema: {
        tags,
        summary: 'Change a group: the owner its name, notice and avatar; every member their own remarks',
        body: Type.Object({ id: Id, ...GroupFields }),
        response: { 200: envelope(GroupVO) },
      },
    },
    async ({ auth, body }) =>
      ok(
        await groups.modify(auth, {
          id: body.id,
          name: body.name,
          headImage: undef(body.headImage),
          headImageThumb: undef(body.headImageThumb),
          notice: undef(body.notice),
          remarkNickName: undef(body.remarkNickName),
          remarkGroupName: undef(body.remarkGroupName),
        }),
      ),
  );

  app.delete(
    '/group/delete/:groupId',
    {
      schema: {
        tags,
        summary: 'Dissolve a group (owner only)',
        params: GroupIdParams,
        response: { 200: envelope() },
      },
    },
    async ({ auth, params }) => ok(await groups.dissolve(auth, params.groupId)),
  );

  app.get(
    '/group/find/:groupId',
    {
      schema: {
        tags,
        summary: 'A group as the caller sees it',
        params: GroupIdParams,
        response: { 200: envelope(GroupVO) },
      },
    },
    async ({ auth, params }) => ok(await groups.find(auth, params.groupId)),
  );

  app.get(
    '/group/list',
    {
      schema: {
        tags,
        summary: "The caller's groups, and those left in the last 30 days",
        response: { 200: envelope(Type.Array(GroupVO)) },
      },
    },
    async ({ auth }) => ok(await groups.list(auth)),
  );

  app.post(
    '/group/invite',
    {
      schema: {
        tags,
        summary: 'Invite friends into a group (at most 50 at once)',
        body: Type.Object({ groupId: Id, friendIds: Type.Array(Id, { minItems: 1, maxItems: 50 }) }),
        response: { 200: envelope() },
      },
    },
    async ({ auth, body }) => ok(await members.invite(auth, body.groupId, body.friendIds)),
  );

  app.get(
    '/group/members/:groupId',
    {
      schema: {
        tags,
        summary: 'Members of a group, former ones included, online first (members only)',
        params: GroupIdParams,
        response: { 200: envelope(Type.Array(GroupMemberVO)) },
      },
    },
    async ({ auth, params }) => ok(await groups.listMembers(auth, params.groupId)),
  );

  app.delete(
    '/group/members/remove',
    {
      schema: {
        tags,
        summary: 'Remove members (owner only; JSON body, at most 50)',
        body: Type.Object({ groupId: Id, userIds: Type.Array(Id, { minItems: 1, maxItems: 50 }) }),
        response: { 200: envelope() },
      },
    },
    async ({ auth, body }) => ok(await members.remove(auth, body.groupId, body.userIds)),
  );

  app.delete(
    '/group/quit/:groupId',
    { schema: { tags, summary: 'Leave a group', params: GroupIdParams, response: { 200: envelope() } } },
    async ({ auth, params }) => ok(await members.quit(auth, params.groupId)),
  );

  app.delete(
    '/group/kick/:groupId',
    {
      schema: {
        tags,
        summary: 'Remove one member (owner only; deprecated, use /group/members/remove)',
        params: GroupIdParams,
        querystring: Type.Object({ userId: Id }),
        response: { 200: envelope() },
      },
    },
    async ({ auth, params, query }) => ok(await members.kick(auth, params.groupId, query.userId)),
  );

  app.put(
    '/group/dnd',
    {
      schema: {
        tags,
        summary: 'Mute or unmute a group for the caller',
        body: Type.Object({ groupId: Id, isDnd: Type.Boolean() }),
        response: { 200: envelope() },
      },
    },
    async ({ auth, body }) => ok(await groups.setDnd(auth, body.groupId, body.isDnd)),
  );
}
