import { ChatPrefVO, Limits } from '@box-im/im-common';
import { Type } from 'typebox';
import { IdSchema } from './bounds';
import type { AppContext } from '../context';
import type { Api } from '../http/api';
import { envelope, ok } from '../http/envelope';

const tags = ['chat'];

/** Per-user chat settings (pins and drafts) synced between the user's terminals. */
export function chatRoutes(app: Api, { services }: AppContext): void {
  const prefs = services.chatPref;

  app.get(
    '/chat/prefs',
    {
      schema: {
        tags,
        summary: 'My pinned chats and drafts',
        response: { 200: envelope(Type.Array(ChatPrefVO)) },
      },
    },
    async (request) => ok(await prefs.list(request.auth)),
  );

  app.put(
    '/chat/pref',
    {
      schema: {
        tags,
        summary: 'Pin / unpin a chat or save its draft; pushed to my other terminals',
        body: Type.Object({
          chatType: Type.Union([Type.Literal('PRIVATE'), Type.Literal('GROUP')]),
          chatId: IdSchema(),
          pinned: Type.Optional(Type.Boolean()),
          draft: Type.Optional(Type.String({ maxLength: Limits.MESSAGE_CONTENT_MAX })),
        }),
        response: { 200: envelope(ChatPrefVO) },
      },
    },
    async (request) => ok(await prefs.put(request.auth, request.body)),
  );
}
