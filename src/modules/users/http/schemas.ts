// Request and response schemas of the users module's routes (they validate, serialise and feed
// the OpenAPI document).
import { Type } from 'typebox';
import { CountryCode } from '../../../platform/http/iso-countries.js';

const trimmed = (options: { minLength: number; maxLength: number; pattern?: string }) =>
  Type.String({ ...options, transform: ['trim'] });

export const Email = Type.String({ format: 'email', maxLength: 254, transform: ['trim', 'toLowerCase'] });
export const Username = Type.String({ minLength: 3, maxLength: 32, pattern: '^[a-z0-9_]+$', transform: ['trim'] });
// Passwords are taken exactly as typed: no trimming.
export const Password = Type.String({ minLength: 8, maxLength: 128 });

const UserStatus = Type.Union([Type.Literal('active'), Type.Literal('inactive'), Type.Literal('suspended')], { title: 'UserStatus' });

export const UserIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const User = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  username: Type.String(),
  role: Type.Union([Type.Literal('customer'), Type.Literal('admin')]),
  status: UserStatus,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
}, { title: 'User' });

export const RegisterBody = Type.Object({ email: Email, username: Username, password: Password }, { additionalProperties: false, title: 'RegisterUserRequest' });

export const LoginBody = Type.Object(
  { email: Email, password: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false, title: 'LoginRequest' },
);

export const AccessToken = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'seconds until the token expires' }),
}, { title: 'AccessToken' });

export const UpdateUserBody = Type.Object(
  {
    email: Type.Optional(Email),
    username: Type.Optional(Username),
    currentPassword: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: 'your own password, required to change the email' }),
    ),
  },
  { additionalProperties: false, minProperties: 1, title: 'UpdateUserRequest' },
);

export const StatusBody = Type.Object(
  { status: UserStatus },
  { additionalProperties: false, title: 'ChangeUserStatusRequest' },
);

export const AddressBody = Type.Object(
  {
    street: trimmed({ minLength: 1, maxLength: 200 }),
    city: trimmed({ minLength: 1, maxLength: 100 }),
    zipCode: trimmed({ minLength: 1, maxLength: 20, pattern: '^[A-Za-z0-9 -]+$' }),
    country: CountryCode,
  },
  { additionalProperties: false, title: 'AddAddressRequest' },
);

export const Address = Type.Object({
  id: Type.String({ format: 'uuid' }),
  userId: Type.String({ format: 'uuid' }),
  street: Type.String(),
  city: Type.String(),
  zipCode: Type.String(),
  country: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
}, { title: 'Address' });
