import { LoginVO } from '@box-im/im-common';
import { Type } from 'typebox';
import type { AppContext } from '../context';
import type { Api } from '../http/api';
import { envelope, ok } from '../http/envelope';

const tags = ['auth'];

export function authRoutes(app: Api, { services }: AppContext): void {
  app.post(
    '/login',
    {
      config: { public: true, limit: 'login' },
      schema: {
        tags,
        summary: 'Log in; the terminal (0 web, 1 app, 2 pc) is fixed in the tokens',
        body: Type.Object({
          terminal: Type.Integer({ minimum: 0, maximum: 2 }),
          userName: Type.String({ minLength: 1, maxLength: 255 }),
          password: Type.String({ minLength: 1, maxLength: 255 }),
        }),
        response: { 200: envelope(LoginVO) },
      },
    },
    async (request) => ok(await services.auth.login(request.body)),
  );

  app.post(
    '/register',
    {
      config: { public: true, limit: 'register' },
      schema: {
        tags,
        summary: 'Create an account (nickName defaults to userName)',
        body: Type.Object({
          userName: Type.String({ minLength: 1, maxLength: 20, pattern: '\\S' }),
          password: Type.String({ minLength: 5, maxLength: 20 }),
          nickName: Type.Optional(Type.String({ maxLength: 20 })),
        }),
        response: { 200: envelope() },
      },
    },
    async (request) => ok(await services.auth.register(request.body)),
  );

  app.put(
    '/refreshToken',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Exchange the refresh token (header `refreshToken`) for a new pair',
        response: { 200: envelope(LoginVO) },
      },
    },
    async (request) => {
      const header = request.headers['refreshtoken'];
      return ok(await services.auth.refresh(Array.isArray(header) ? header[0] : header));
    },
  );

  app.put(
    '/modifyPwd',
    {
      schema: {
        tags,
        summary: 'Change the password; every token issued before stops working',
        body: Type.Object({
          oldPassword: Type.String({ minLength: 1 }),
          newPassword: Type.String({ minLength: 5, maxLength: 20 }),
        }),
        response: { 200: envelope() },
      },
    },
    async (request) =>
      ok(
        await services.auth.modifyPassword(request.auth, request.body.oldPassword, request.body.newPassword),
      ),
  );
}
