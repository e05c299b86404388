import { Type } from 'typebox';
import { IdSchema, PageSchema, PageSizeSchema } from './bounds';
import {
  AdminAuditSchema,
  AdminGroupSchema,
  AdminUserSchema,
  DailyStatsSchema,
  DaySchema,
  PageOf,
  SensitiveWordSchema,
} from './admin.schemas';
import type { AppContext } from '../context';
import type { Api } from '../http/api';
import { envelope, ok } from '../http/envelope';
import { userVO } from '../services/admin.vo';

const tags = ['admin'];
const Id = IdSchema();
const Reason = Type.String({ maxLength: 255 });
const Search = Type.Object({
  keyword: Type.Optional(Type.String({ maxLength: 64 })),
  page: Type.Optional(PageSchema()),
  size: Type.Optional(PageSizeSchema()),
});

/** `/admin/*`: system administrators only (everyone else gets NOT_ADMIN, code 403). */
export function adminRoutes(app: Api, { services }: AppContext): void {
  const admin = services.admin;

  app.get(
    '/admin/self',
    { schema: { tags, summary: 'The calling administrator', response: { 200: envelope(AdminUserSchema) } } },
    async ({ auth }) => ok(userVO(await admin.requireAdmin(auth))),
  );

  app.get(
    '/admin/users',
    {
      schema: {
        tags,
        summary: 'Users by id, user name or nickname, newest first (paged, at most 100 a page)',
        querystring: Search,
        response: { 200: envelope(PageOf(AdminUserSchema)) },
      },
    },
    async ({ auth, query }) =>
      ok(await admin.searchUsers(auth, query.keyword ?? '', query.page ?? 1, query.size ?? 20)),
  );

  app.get(
    '/admin/groups',
    {
      schema: {
        tags,
        summary: 'Groups by id or name, newest first (paged)',
        querystring: Search,
        response: { 200: envelope(PageOf(AdminGroupSchema)) },
      },
    },
    async ({ auth, query }) =>
      ok(await admin.searchGroups(auth, query.keyword ?? '', query.page ?? 1, query.size ?? 20)),
  );

  app.post(
    '/admin/user/ban',
    {
      schema: {
        tags,
        summary: 'Ban a user: terminals get the ban notice and are closed, tokens stop, login refused',
        body: Type.Object({ userId: Id, reason: Reason }),
        response: { 200: envelope() },
      },
    },
    async ({ auth, body }) => ok(await admin.banUser(auth, body.userId, body.reason)),
  );

  app.post(
    '/admin/user/unban',
    {
      schema: {
        tags,
        summary: 'Lift a user ban',
        body: Type.Object({ userId: Id }),
        response: { 200: envelope() },
      },
    },
    async ({ auth, body }) => ok(await admin.unbanUser(auth, body.userId)),
  );

  app.post(
    '/admin/group/ban',
    {
      schema: {
        tags,
        summary: 'Ban a group: members get a tip, sending is refused',
        body: Type.Object({ groupId: Id, reason: Reason }),
        response: { 200: envelope() },
      },
    },
    async ({ auth, body }) => ok(await admin.banGroup(auth, body.groupId, body.reason)),
  );

  app.post(
    '/admin/group/unban',
    {
      schema: {
        tags,
        summary: 'Lift a group ban',
        body: Type.Object({ groupId: Id }),
        response: { 200: envelope() },
      },
    },
    async ({ auth, body }) => ok(await admin.unbanGroup(auth, body.groupId)),
  );

  app.get(
    '/admin/words',
    {
      schema: {
        tags,
        summary: 'Every sensitive word, newest first',
        response: { 200: envelope(Type.Array(SensitiveWordSchema)) },
      },
    },
    async ({ auth }) => ok(await admin.words(auth)),
  );

  app.post(
    '/admin/words',
    {
      schema: {
        tags,
        summary:
          'Add a sensitive word (effective at once on every platform process: a bus notice makes the others reload)',
        body: Type.Object({
          content: Type.String({ maxLength: 64 }),
          enabled: Type.Optional(Type.Boolean()),
        }),
        response: { 200: envelope(Type.Integer({ description: 'the new id' })) },
      },
    },
    async ({ auth, body }) => ok(await admin.addWord(auth, body.content, body.enabled ?? true)),
  );

  app.put(
    '/admin/words/:id',
    {
      schema: {
        tags,
        summary: 'Change a sensitive word or switch it on/off',
        params: Type.Object({ id: Id }),
        body: Type.Object({
          content: Type.Optional(Type.String({ maxLength: 64 })),
          enabled: Type.Optional(Type.Boolean()),
        }),
        response: { 200: envelope() },
      },
    },
    async ({ auth, params, body }) => ok(await admin.updateWord(auth, params.id, body)),
  );

  app.delete(
    '/admin/words/:id',
    {
      schema: {
        tags,
        summary: 'Delete a sensitive word',
        params: Type.Object({ id: Id }),
        response: { 200: envelope() },
      },
    },
    async ({ auth, params }) => ok(await admin.deleteWord(auth, params.id)),
  );

  app.get(
    '/admin/stats',
    {
      schema: {
        tags,
        summary: 'Registrations, active users and messages per UTC day (both ends included, at most 92 days)',
        querystring: Type.Object({ from: DaySchema(), to: DaySchema() }),
        response: { 200: envelope(Type.Array(DailyStatsSchema)) },
      },
    },
    async ({ auth, query }) => ok(await admin.stats(auth, query.from, query.to)),
  );

  app.get(
    '/admin/audit',
    {
      schema: {
        tags,
        summary: 'The audit log of administrator actions, newest first (paged)',
        querystring: Type.Object({
          page: Type.Optional(PageSchema()),
          size: Type.Optional(PageSizeSchema()),
        }),
        response: { 200: envelope(PageOf(AdminAuditSchema)) },
      },
    },
    async ({ auth, query }) => ok(await admin.auditLog(auth, query.page ?? 1, query.size ?? 20)),
  );
}
