import { SystemConfigVO } from '@box-im/im-common';
import type { AppContext } from '../context';
import type { Api } from '../http/api';
import { envelope, ok } from '../http/envelope';

export function systemRoutes(app: Api, { services }: AppContext): void {
  app.get(
    '/system/config',
    {
      schema: {
        tags: ['system'],
        summary: 'WebRTC settings for clients',
        response: { 200: envelope(SystemConfigVO) },
      },
    },
    () => ok(services.system.clientConfig()),
  );
}
