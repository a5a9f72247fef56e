// Passwords are kept only as argon2id hashes (OWASP parameters, the library's defaults).
import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id of @node-rs/argon2 (a const enum, which isolated modules cannot read).
const ARGON2ID = 2;

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}

// Checked against for unknown emails, so a miss costs as long as a wrong password and timing
// does not tell which emails have accounts.
let decoyHash: Promise<string> | null = null;
export function verifyAgainstDecoy(password: string): Promise<boolean> {
  decoyHash ??= hashPassword('decoy-password-for-timing');
  return decoyHash.then((decoy) => verifyPassword(decoy, password)).then(() => false);
}
