import { PrivateMessageVO } from '@box-im/im-common';
import { Type } from 'typebox';
import { CodeSchema, CursorSchema, IdSchema, PageSchema, PageSizeSchema } from './bounds';
import type { AppContext } from '../context';
import type { Api } from '../http/api';
import { envelope, ok, streamedEnvelope } from '../http/envelope';

const tags = ['private-message'];
const UserId = IdSchema();

export function privateMessageRoutes(app: Api, { services }: AppContext): void {
  const messages = services.privateMessage;

  app.post(
    '/message/private/send',
    {
      config: { limit: 'send' },
      schema: {
        tags,
        summary: 'Send a message to a friend (types 0–4); idempotent on tmpId',
        body: Type.Object({
          tmpId: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()])),
          recvId: UserId,
          // Blank and over-long contents are refused by the service with box-im's messages.
          content: Type.String(),
          type: CodeSchema(),
          quoteMessageId: Type.Optional(Type.Union([IdSchema(), Type.Null()])),
        }),
        response: { 200: envelope(PrivateMessageVO) },
      },
    },
    async (request) => ok(await messages.send(request.auth, request.body)),
  );

  app.post(
    '/message/private/typing',
    {
      schema: {
        tags,
        summary:
          'Tell a friend I am typing: a push only, never stored; at most one per 3 s is pushed, extra calls answer OK',
        querystring: Type.Object({ recvId: UserId }),
        response: { 200: envelope() },
      },
    },
    async (request) => {
      await services.typing.typing(request.auth, request.query.recvId);
      return ok(null);
    },
  );

  app.delete(
    '/message/private/recall/:id',
    {
      schema: {
        tags,
        summary: 'Recall my message within 5 minutes; returns the RECALL message',
        params: Type.Object({ id: IdSchema() }),
        response: { 200: envelope(PrivateMessageVO) },
      },
    },
    async (request) => ok(await messages.recall(request.auth, request.params.id)),
  );

  app.get(
    '/message/private/loadOfflineMessage',
    {
      schema: {
        tags,
        summary:
          'Every message after minId (30 days, both directions, ascending), plus received ones never delivered',
        querystring: Type.Object({ minId: CursorSchema() }),
        response: { 200: envelope(Type.Array(PrivateMessageVO)) },
      },
    },
    async (request, reply) => {
      const body = await streamedEnvelope(messages.offline(request.auth, request.query.minId));
      // A stream skips the serializer; the schema above documents what it carries.
      return reply.type('application/json; charset=utf-8').send(body as never);
    },
  );

  app.put(
    '/message/private/readed',
    {
      schema: {
        tags,
        summary: "Mark the friend's messages read; syncs my terminals and tells the friend",
        querystring: Type.Object({ friendId: UserId }),
        response: { 200: envelope() },
      },
    },
    async (request) => ok(await messages.readed(request.auth, request.query.friendId)),
  );

  app.get(
    '/message/private/maxReadedId',
    {
      schema: {
        tags,
        summary: 'Highest id of my messages the friend has read (-1 if none)',
        querystring: Type.Object({ friendId: UserId }),
        response: { 200: envelope(Type.Integer()) },
      },
    },
    async (request) => ok(await messages.maxReadedId(request.auth, request.query.friendId)),
  );

  app.get(
    '/message/private/history',
    {
      schema: {
        tags,
        summary: 'A page of the conversation, newest first (size at most 100)',
        querystring: Type.Object({ friendId: UserId, page: PageSchema(), size: PageSizeSchema() }),
        response: { 200: envelope(Type.Array(PrivateMessageVO)) },
      },
    },
    async (request) =>
      ok(
        await messages.history(request.auth, request.query.friendId, request.query.page, request.query.size),
      ),
  );
}
