import { GroupMessageVO } from '@box-im/im-common';
import { Type } from 'typebox';
import { CodeSchema, CursorSchema, IdSchema, MAX_ID, PageSchema, PageSizeSchema } from './bounds';
import type { AppContext } from '../context';
import type { Api } from '../http/api';
import { envelope, ok, streamedEnvelope } from '../http/envelope';

const tags = ['group-message'];
const Id = IdSchema();

export function groupMessageRoutes(app: Api, { services }: AppContext): void {
  const messages = services.groupMessage;
  const reads = services.groupRead;

  app.post(
    '/message/group/send',
    {
      config: { limit: 'send' },
      schema: {
        tags,
        summary:
          'Send a message to a group (types 0–4); idempotent on tmpId; -1 in atUserIds = @all (owner only)',
        body: Type.Object({
          tmpId: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()])),
          groupId: Id,
          content: Type.String({ minLength: 1 }),
          type: CodeSchema(),
          quoteMessageId: Type.Optional(Type.Union([Id, Type.Null()])),
          receipt: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
          atUserIds: Type.Optional(
            Type.Union([
              Type.Array(Type.Integer({ minimum: -1, maximum: MAX_ID }), { maxItems: 20 }),
              Type.Null(),
            ]),
          ),
        }),
        response: { 200: envelope(GroupMessageVO) },
      },
    },
    async ({ auth, body }) =>
      ok(
        await messages.send(auth, {
          groupId: body.groupId,
          tmpId: body.tmpId ?? undefined,
          content: body.content,
          type: body.type,
          receipt: body.receipt ?? undefined,
          atUserIds: body.atUserIds ?? undefined,
          quoteMessageId: body.quoteMessageId ?? undefined,
        }),
      ),
  );

  app.delete(
    '/message/group/recall/:id',
    {
      schema: {
        tags,
        summary: 'Recall an own message within 300 s; returns the RECALL message',
        params: Type.Object({ id: Id }),
        response: { 200: envelope(GroupMessageVO) },
      },
    },
    async ({ auth, params }) => ok(await messages.recall(auth, params.id)),
  );

  app.get(
    '/message/group/loadOfflineMessage',
    {
      schema: {
        tags,
        summary: 'Group messages after minId from the last 30 days, oldest first (streamed page by page)',
        querystring: Type.Object({ minId: CursorSchema(0) }),
        response: { 200: envelope(Type.Array(GroupMessageVO)) },
      },
    },
    async ({ auth, query }, reply) => {
      const body = await streamedEnvelope(messages.loadOffline(auth, query.minId));
      // A stream bypasses the serializer; the schema above documents its content.
      return reply.type('application/json; charset=utf-8').send(body as never);
    },
  );

  app.put(
    '/message/group/readed',
    {
      schema: {
        tags,
        summary: 'Mark the group read up to messageId (default: its latest message)',
        querystring: Type.Object({ groupId: Id, messageId: Type.Optional(Id) }),
        response: { 200: envelope() },
      },
    },
    async ({ auth, query }) => ok(await reads.readed(auth, query.groupId, query.messageId)),
  );

  app.get(
    '/message/group/findReadedUsers',
    {
      schema: {
        tags,
        summary: 'Ids of the members who have read a message',
        querystring: Type.Object({ groupId: Id, messageId: Id }),
        response: { 200: envelope(Type.Array(Type.Integer())) },
      },
    },
    async ({ auth, query }) => ok(await reads.findReadedUsers(auth, query.groupId, query.messageId)),
  );

  app.get(
    '/message/group/history',
    {
      schema: {
        tags,
        summary: 'A page of group history, newest first (page from 1, size ≤ 100)',
        querystring: Type.Object({ groupId: Id, page: PageSchema(), size: PageSizeSchema() }),
        response: { 200: envelope(Type.Array(GroupMessageVO)) },
      },
    },
    async ({ auth, query }) => ok(await messages.history(auth, query.groupId, query.page, query.size)),
  );
}
