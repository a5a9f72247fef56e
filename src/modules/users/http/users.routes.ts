// Public routes of the users module: registration, sign-in, profiles, status and addresses.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../../../platform/http/auth.js';
import { decodeCursor, Page, PageQuery, toPage } from '../../../platform/http/pagination.js';
import { HttpProblem } from '../../../platform/http/problem.js';
import type { UsersConfig } from '../users-config.js';
import type { AddressRow } from '../db/schema.js';
import { toUserView } from '../domain/user.js';
import { IncorrectCurrentPassword, type UsersService } from '../users.service.js';
import type { AbuseLimits } from './abuse-limits.js';
import { AccessToken, Address, AddressBody, LoginBody, RegisterBody, StatusBody, UpdateUserBody, User, UserIdParams } from './schemas.js';

const bearer = [{ bearerAuth: [] }];
const tags = ['users'];

export function usersRoutes(service: UsersService, config: UsersConfig, limits: AbuseLimits) {
  return async function routes(instance: FastifyInstance): Promise<void> {
    const server = instance.withTypeProvider<TypeBoxTypeProvider>();
    const authenticated = [server.authenticate];

    server.post(
      '/api/v1/users',
      {
        // Every attempt counts, invalid or refused ones too: "already registered" answers tell
        // which emails have accounts, so probing for them is limited as well as creating them.
        onRequest: async (request) => limits.countRegistration(request.ip),
        schema: {
          operationId: 'registerUser',
          tags,
          summary: 'Register a customer account',
          body: RegisterBody,
          response: { 201: User },
          'x-problems': { 409: 'The email is already registered or the username taken', 429: 'Too many registrations from this address' },
        },
      },
      async (request, reply) => reply.code(201).send(toUserView(await service.register(request.body))),
    );

    server.post(
      '/api/v1/auth/login',
      {
        schema: {
          operationId: 'login',
          tags: ['auth'],
          summary: 'Exchange email and password for an access token',
          body: LoginBody,
          response: { 200: AccessToken },
          'x-problems': {
            401: 'The email or password is incorrect',
            403: 'The account is inactive or suspended',
            429: 'Too many failed sign-ins for this account or from this address',
          },
        },
      },
      async (request) => {
        const { email, password } = request.body;
        const signIn = await limits.startSignIn(request.ip, email);
        try {
          const user = await service.authenticate(email, password);
          await signIn.notAWrongGuess();
          return {
            accessToken: server.signAccessToken({ sub: user.id, role: user.role }, config.accessTokenTtlSeconds),
            tokenType: 'Bearer' as const,
            expiresIn: config.accessTokenTtlSeconds,
          };
        } catch (error) {
          // Only a wrong email or password counts against the limits.
          if (!(error instanceof HttpProblem && error.status === 401)) await signIn.notAWrongGuess();
          throw error;
        }
      },
    );

    server.get(
      '/api/v1/users/me',
      { onRequest: authenticated, schema: { operationId: 'getCurrentUser', tags, summary: 'Your own profile', security: bearer, response: { 200: User } } },
      async (request) => toUserView(await service.getVisible(request.user, request.user.sub)),
    );

    server.get(
      '/api/v1/users/:id',
      { onRequest: authenticated, schema: { operationId: 'getUser', tags, summary: 'A profile (yourself, or anyone for admins)', security: bearer, params: UserIdParams, response: { 200: User } } },
      async (request) => toUserView(await service.getVisible(request.user, request.params.id)),
    );

    server.patch(
      '/api/v1/users/:id',
      {
        onRequest: authenticated,
        schema: {
          operationId: 'updateUser',
          tags,
          summary: 'Change username or email',
          security: bearer,
          params: UserIdParams,
          body: UpdateUserBody,
          response: { 200: User },
          'x-problems': {
            400: 'Invalid fields, or a new email without `currentPassword`',
            403: 'The current password is incorrect',
            409: 'The email is already registered or the username taken',
            429: 'Too many wrong current passwords for this account',
          },
        },
      },
      async (request) => {
        if (request.body.currentPassword === undefined) return toUserView(await service.update(request.user, request.params.id, request.body));
        // Someone holding a stolen token could otherwise guess the password here without limit.
        const guess = await limits.startSignIn(request.ip, `account:${request.user.sub}`);
        try {
          const user = await service.update(request.user, request.params.id, request.body);
          await guess.notAWrongGuess();
          return toUserView(user);
        } catch (error) {
          if (!(error instanceof IncorrectCurrentPassword)) await guess.notAWrongGuess();
          throw error;
        }
      },
    );

    server.patch(
      '/api/v1/users/:id/status',
      {
        onRequest: [server.authenticate, requireRole('admin')],
        schema: { operationId: 'changeUserStatus', tags, summary: 'Activate, deactivate or suspend a user (admin)', security: bearer, params: UserIdParams, body: StatusBody, response: { 200: User } },
      },
      async (request) => toUserView(await service.changeStatus(request.params.id, request.body.status)),
    );

    server.post(
      '/api/v1/users/:id/addresses',
      {
        onRequest: authenticated,
        schema: {
          operationId: 'addAddress',
          tags,
          summary: 'Add one of your addresses',
          security: bearer,
          params: UserIdParams,
          body: AddressBody,
          response: { 201: Address },
          'x-problems': { 403: 'Only the user may add their addresses' },
        },
      },
      async (request, reply) => reply.code(201).send(toAddressView(await service.addAddress(request.user, request.params.id, request.body))),
    );

    server.get(
      '/api/v1/users/:id/addresses',
      {
        onRequest: authenticated,
        schema: { operationId: 'listAddresses', tags, summary: 'A user’s addresses, newest first', security: bearer, params: UserIdParams, querystring: PageQuery, response: { 200: Page(Address) } },
      },
      async (request) => {
        const { limit, cursor } = request.query;
        const rows = await service.addresses(request.user, request.params.id, limit, decodeCursor(cursor));
        return toPage(rows, limit, (row) => ({ createdAt: row.createdAt.toISOString(), id: row.id }), toAddressView);
      },
    );
  };
}

function toAddressView(address: AddressRow) {
  return { ...address, createdAt: address.createdAt.toISOString() };
}
