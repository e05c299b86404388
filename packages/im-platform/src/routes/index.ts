import type { AppContext } from '../context';
import type { Api } from '../http/api';
import { adminRoutes } from './admin.routes';
import { authRoutes } from './auth.routes';
import { chatRoutes } from './chat.routes';
import { fileRoutes } from './file.routes';
import { friendRoutes } from './friend.routes';
import { groupMessageRoutes } from './group-message.routes';
import { groupRoutes } from './group.routes';
import { messageRoutes } from './message.routes';
import { privateMessageRoutes } from './private-message.routes';
import { socialRoutes } from './social.routes';
import { systemRoutes } from './system.routes';
import { userRoutes } from './user.routes';
import { webrtcGroupRoutes } from './webrtc-group.routes';
import { webrtcRoutes } from './webrtc.routes';

/** Every API route module, registered under the API prefix. Add new modules here. */
const modules: ((app: Api, ctx: AppContext) => void)[] = [
  authRoutes,
  userRoutes,
  systemRoutes,
  friendRoutes,
  privateMessageRoutes,
  groupRoutes,
  groupMessageRoutes,
  socialRoutes,
  messageRoutes,
  chatRoutes,
  fileRoutes,
  webrtcRoutes,
  webrtcGroupRoutes,
  adminRoutes,
];

export function registerApiRoutes(app: Api, ctx: AppContext): void {
  for (const register of modules) register(app, ctx);
}
