import type { AppContext } from '../context';
import type { Api } from '../http/api';
import { authRoutes } from './auth.routes';
import { systemRoutes } from './system.routes';
import { userRoutes } from './user.routes';

/** Every API route module, registered under the API prefix. Add new modules here. */
const modules: ((app: Api, ctx: AppContext) => void)[] = [authRoutes, userRoutes, systemRoutes];

export function registerApiRoutes(app: Api, ctx: AppContext): void {
  for (const register of modules) register(app, ctx);
}
