import { FriendRequestVO, GroupInviteVO, GroupVO } from '@box-im/im-common';
import { Type } from 'typebox';
import { IdSchema } from './bounds';
import type { AppContext } from '../context';
import type { Api } from '../http/api';
import { envelope, ok } from '../http/envelope';
import { MUTE_MAX_MINUTES } from '../services/group-moderation.service';

const Id = IdSchema();
const IdParams = Type.Object({ id: Id });

/**
 * Issue 15, social: friend requests and group invitations waiting for consent (used with
 * FRIEND_REQUEST=on), group admins, mute and ownership transfer.
 */
export function socialRoutes(app: Api, { services }: AppContext): void {
  const requests = services.friendRequest;
  const invites = services.groupInvite;
  const moderation = services.groupModeration;
  const friendTags = ['friend'];
  const groupTags = ['group'];

  app.post(
    '/friend/request',
    {
      schema: {
        tags: friendTags,
        summary: 'Ask a user to become a friend, with a message (FRIEND_REQUEST=on)',
        body: Type.Object({
          friendId: IdSchema("the user's id"),
          message: Type.Optional(Type.String({ maxLength: 255 })),
        }),
        response: { 200: envelope(FriendRequestVO) },
      },
    },
    async ({ auth, body }) => ok(await requests.request(auth, body.friendId, body.message ?? '')),
  );

  app.get(
    '/friend/request/list',
    {
      schema: {
        tags: friendTags,
        summary: 'Pending friend requests: to me (incoming) and from me (outgoing)',
        response: {
          200: envelope(
            Type.Object({ incoming: Type.Array(FriendRequestVO), outgoing: Type.Array(FriendRequestVO) }),
          ),
        },
      },
    },
    async ({ auth }) => ok(await requests.list(auth)),
  );

  app.post(
    '/friend/request/accept/:id',
    {
      schema: {
        tags: friendTags,
        summary: 'Accept a friend request made to me',
        params: IdParams,
        response: { 200: envelope(FriendRequestVO) },
      },
    },
    async ({ auth, params }) => ok(await requests.accept(auth, params.id)),
  );

  app.post(
    '/friend/request/decline/:id',
    {
      schema: {
        tags: friendTags,
        summary: 'Decline a friend request made to me',
        params: IdParams,
        response: { 200: envelope(FriendRequestVO) },
      },
    },
    async ({ auth, params }) => ok(await requests.decline(auth, params.id)),
  );

  app.get(
    '/group/invite/list',
    {
      schema: {
        tags: groupTags,
        summary: 'Group invitations waiting for my consent',
        response: { 200: envelope(Type.Array(GroupInviteVO)) },
      },
    },
    async ({ auth }) => ok(await invites.list(auth)),
  );

  app.post(
    '/group/invite/accept/:id',
    {
      schema: {
        tags: groupTags,
        summary: 'Accept a group invitation: join the group',
        params: IdParams,
        response: { 200: envelope(GroupVO) },
      },
    },
    async ({ auth, params }) => ok(await invites.accept(auth, params.id)),
  );

  app.post(
    '/group/invite/decline/:id',
    {
      schema: {
        tags: groupTags,
        summary: 'Decline a group invitation',
        params: IdParams,
        response: { 200: envelope() },
      },
    },
    async ({ auth, params }) => ok(await invites.decline(auth, params.id)),
  );

  app.put(
    '/group/admin',
    {
      schema: {
        tags: groupTags,
        summary: 'Appoint or remove an admin (owner only)',
        body: Type.Object({ groupId: Id, userId: Id, isAdmin: Type.Boolean() }),
        response: { 200: envelope() },
      },
    },
    async ({ auth, body }) => ok(await moderation.setAdmin(auth, body.groupId, body.userId, body.isAdmin)),
  );

  app.put(
    '/group/mute',
    {
      schema: {
        tags: groupTags,
        summary: 'Mute a member for `minutes` (0 unmutes; owner and admins)',
        body: Type.Object({
          groupId: Id,
          userId: Id,
          minutes: Type.Integer({ minimum: 0, maximum: MUTE_MAX_MINUTES }),
        }),
        response: { 200: envelope() },
      },
    },
    async ({ auth, body }) => ok(await moderation.mute(auth, body.groupId, body.userId, body.minutes)),
  );

  app.put(
    '/group/muteAll',
    {
      schema: {
        tags: groupTags,
        summary: 'Mute or unmute everyone but the owner and admins (owner and admins)',
        body: Type.Object({ groupId: Id, muted: Type.Boolean() }),
        response: { 200: envelope() },
      },
    },
    async ({ auth, body }) => ok(await moderation.muteAll(auth, body.groupId, body.muted)),
  );

  app.put(
    '/group/transfer',
    {
      schema: {
        tags: groupTags,
        summary: 'Hand the group to another member (owner only)',
        body: Type.Object({ groupId: Id, userId: Id }),
        response: { 200: envelope(GroupVO) },
      },
    },
    async ({ auth, body }) => ok(await moderation.transfer(auth, body.groupId, body.userId)),
  );
}
