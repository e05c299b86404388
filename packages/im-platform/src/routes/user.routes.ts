import { OnlineTerminalVO, UserVO } from '@box-im/im-common';
import { Type } from 'typebox';
import { IdSchema } from './bounds';
import type { AppContext } from '../context';
import type { Api } from '../http/api';
import { envelope, ok } from '../http/envelope';

const tags = ['user'];

export function userRoutes(app: Api, { services }: AppContext): void {
  app.get(
    '/user/terminal/online',
    {
      schema: {
        tags,
        summary: 'Online terminals of users (comma-separated ids); offline users are left out',
        querystring: Type.Object({ userIds: Type.String({ maxLength: 20000 }) }),
        response: { 200: envelope(Type.Array(OnlineTerminalVO)) },
      },
    },
    async (request) => ok(await services.user.onlineTerminals(request.auth, request.query.userIds)),
  );

  app.get(
    '/user/self',
    { schema: { tags, summary: 'The caller', response: { 200: envelope(UserVO) } } },
    async (request) => ok(await services.user.self(request.auth)),
  );

  app.get(
    '/user/find/:id',
    {
      schema: {
        tags,
        summary: 'A user by id, with online state',
        params: Type.Object({ id: IdSchema() }),
        response: { 200: envelope(UserVO) },
      },
    },
    async (request) => ok(await services.user.find(request.auth, request.params.id)),
  );

  app.put(
    '/user/update',
    {
      schema: {
        tags,
        summary: "Update the caller's profile (the user name cannot change)",
        body: Type.Object({
          id: IdSchema(),
          nickName: Type.String({ minLength: 1, maxLength: 20, pattern: '\\S' }),
          sex: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 1 }), Type.Null()])),
          signature: Type.Optional(Type.Union([Type.String({ maxLength: 128 }), Type.Null()])),
          headImage: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
          headImageThumb: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
          addPolicy: Type.Optional(
            Type.Union([
              Type.Integer({ minimum: 0, maximum: 2, description: '0 anyone, 1 by request, 2 nobody' }),
              Type.Null(),
            ]),
          ),
        }),
        response: { 200: envelope() },
      },
    },
    async (request) => {
      const b = request.body;
      return ok(
        await services.user.update(request.auth, {
          id: b.id,
          nickName: b.nickName,
          sex: b.sex ?? undefined,
          signature: b.signature ?? undefined,
          headImage: b.headImage ?? undefined,
          headImageThumb: b.headImageThumb ?? undefined,
          addPolicy: b.addPolicy ?? undefined,
        }),
      );
    },
  );

  app.get(
    '/user/findByName',
    {
      schema: {
        tags,
        summary: 'Users whose user name or nickname contains `name` (max 20)',
        querystring: Type.Object({ name: Type.String({ maxLength: 64 }) }),
        response: { 200: envelope(Type.Array(UserVO)) },
      },
    },
    async (request) => ok(await services.user.findByName(request.auth, request.query.name)),
  );
}
