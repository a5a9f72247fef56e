// The users module as the platform hosts it.
import type { ModuleDefinition } from '../../platform/modules/module-definition.js';
import { UsersContract, UsersEvents, type UsersApi } from './api.js';
import { findUsernames } from './db/users.repository.js';
import { createAbuseLimits } from './http/abuse-limits.js';
import { usersRoutes } from './http/users.routes.js';
import { readUsersConfig, type UsersConfig } from './users-config.js';
import { createUsersService } from './users.service.js';

export const usersModule: ModuleDefinition<UsersApi, UsersConfig> = {
  name: 'users',
  schema: 'users',
  routePrefixes: ['/api/v1/users', '/api/v1/auth'],
  publishes: Object.values(UsersEvents),
  needs: [],
  contract: UsersContract,
  config: readUsersConfig,
  create(context) {
    const service = createUsersService(context);
    const api: UsersApi = {
      getPublicProfiles: (ids) => findUsernames(context.db, ids),
    };
    return {
      api,
      routes: usersRoutes(service, context.config, createAbuseLimits(context.rateLimiter, context.config.limits)),
      onStart: async () => {
        if (context.config.admin) await service.bootstrapAdmin(context.config.admin);
      },
    };
  },
};
