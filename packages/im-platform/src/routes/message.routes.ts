import { GroupMessageVO, PrivateMessageVO } from '@box-im/im-common';
import { Type } from 'typebox';
import { CursorSchema, IdSchema, PageSchema, PageSizeSchema } from './bounds';
import type { AppContext } from '../context';
import type { Api } from '../http/api';
import { envelope, ok } from '../http/envelope';

const tags = ['message'];
const ChatKind = Type.Union([Type.Literal('PRIVATE'), Type.Literal('GROUP')]);

/** Messaging beyond box-im (issue 15): forward, search. */
export function messageRoutes(app: Api, { services }: AppContext): void {
  app.post(
    '/message/forward',
    {
      config: { limit: 'send' },
      schema: {
        tags,
        summary:
          'Forward messages of one conversation I may read to chats I may write to: one by one, or merged into one chat record (type 60)',
        body: Type.Object({
          sourceType: ChatKind,
          messageIds: Type.Array(IdSchema(), { minItems: 1, maxItems: 50 }),
          merged: Type.Optional(Type.Boolean()),
          targets: Type.Array(Type.Object({ type: ChatKind, targetId: IdSchema() }), {
            minItems: 1,
            maxItems: 10,
          }),
        }),
        response: {
          200: envelope(
            Type.Object({
              privateMessages: Type.Array(PrivateMessageVO),
              groupMessages: Type.Array(GroupMessageVO),
            }),
          ),
        },
      },
    },
    async ({ auth, body }) =>
      ok(await services.forward.forward(auth, { ...body, merged: body.merged ?? false })),
  );

  app.get(
    '/message/search',
    {
      schema: {
        tags,
        summary:
          'Search my private chats and the group messages I see (text, not recalled), newest first; items are message VOs (group ones carry groupId)',
        querystring: Type.Object({
          keyword: Type.String({ maxLength: 50 }),
          page: Type.Optional(PageSchema()),
          size: Type.Optional(PageSizeSchema()),
          chatType: Type.Optional(ChatKind),
          chatId: Type.Optional(IdSchema()),
          senderId: Type.Optional(IdSchema()),
          from: Type.Optional(CursorSchema(0)),
          to: Type.Optional(CursorSchema(0)),
        }),
        response: { 200: envelope(Type.Array(Type.Union([GroupMessageVO, PrivateMessageVO]))) },
      },
    },
    async ({ auth, query }) => ok(await services.messageSearch.search(auth, query)),
  );
}
