import { GroupMessageVO, PrivateMessageVO } from '@box-im/im-common';
import { Type } from 'typebox';
import { IdSchema } from './bounds';
import type { AppContext } from '../context';
import type { Api } from '../http/api';
import { envelope, ok } from '../http/envelope';

const tags = ['message'];
const ChatKind = Type.Union([Type.Literal('PRIVATE'), Type.Literal('GROUP')]);

/** Messaging beyond box-im (issue 15): forward. */
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
}
