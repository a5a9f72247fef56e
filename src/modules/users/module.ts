// The users module as the platform hosts it.
import type { ModuleDefinition } from '../../platform/modules/module-definition.js';
import type { UsersApi } from './contract.js';
import { findUsernames } from './db/users.repository.js';
import { USERS_EVENTS } from './events.js';
import { usersRoutes } from './http/users.routes.js';
import { createUsersService } from './users.service.js';

export const usersModule: ModuleDefinition<UsersApi> = {
  name: 'users',
  schema: 'users',
  routePrefixes: ['/api/v1/users', '/api/v1/auth'],
  publishes: Object.values(USERS_EVENTS),
  needs: [],
  contract: { getPublicProfiles: { idempotent: true } },
  create(context) {
    const service = createUsersService(context);
    const api: UsersApi = {
      getPublicProfiles: (ids) => findUsernames(context.db, ids),
    };
    return {
      api,
      routes: usersRoutes(service, context.config),
      onStart: async () => {
        if (context.config.admin) await service.bootstrapAdmin(context.config.admin);
      },
    };
  },
};
