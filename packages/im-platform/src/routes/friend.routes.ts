import { FriendVO } from '@box-im/im-common';
import { Type } from 'typebox';
import type { AppContext } from '../context';
import type { Api } from '../http/api';
import { envelope, ok } from '../http/envelope';
import { Id as IdSchema } from '../http/schemas';

const tags = ['friend'];
const FriendId = IdSchema("the friend's user id");

export function friendRoutes(app: Api, { services }: AppContext): void {
  app.get(
    '/friend/list',
    {
      schema: {
        tags,
        summary: 'My friends, deleted ones included (`deleted: true`)',
        response: { 200: envelope(Type.Array(FriendVO)) },
      },
    },
    async (request) => ok(await services.friend.list(request.auth)),
  );

  app.post(
    '/friend/add',
    {
      schema: {
        tags,
        summary: 'Befriend a user at once, both ways (query `friendId`)',
        querystring: Type.Object({ friendId: FriendId }),
        response: { 200: envelope() },
      },
    },
    async (request) => ok(await services.friend.add(request.auth, request.query.friendId)),
  );

  app.get(
    '/friend/find/:friendId',
    {
      schema: {
        tags,
        summary: 'One friend (also when deleted)',
        params: Type.Object({ friendId: FriendId }),
        response: { 200: envelope(FriendVO) },
      },
    },
    async (request) => ok(await services.friend.find(request.auth, request.params.friendId)),
  );

  app.delete(
    '/friend/delete/:friendId',
    {
      schema: {
        tags,
        summary: 'End a friendship, both ways',
        params: Type.Object({ friendId: FriendId }),
        response: { 200: envelope() },
      },
    },
    async (request) => ok(await services.friend.delete(request.auth, request.params.friendId)),
  );

  app.put(
    '/friend/dnd',
    {
      schema: {
        tags,
        summary: 'Mute or unmute a friend',
        body: Type.Object({ friendId: FriendId, isDnd: Type.Boolean() }),
        response: { 200: envelope() },
      },
    },
    async (request) =>
      ok(await services.friend.setDnd(request.auth, request.body.friendId, request.body.isDnd)),
  );
}
