// Development secrets: generated once per data folder and kept there, so tokens survive restarts
// without anyone having to invent a secret. Production must pass them in (start-up refuses to run without them).
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface LocalSecrets {
  jwtSecret: string;
  serviceTokenSecret: string;
  postgresPassword: string;
}

export async function loadLocalSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = path.join(dataDir, 'secrets.json');
  const existing = await readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as Partial<LocalSecrets>,
    () => ({}) as Partial<LocalSecrets>,
  );
  const secrets: LocalSecrets = {
    jwtSecret: existing.jwtSecret ?? generate(),
    serviceTokenSecret: existing.serviceTokenSecret ?? generate(),
    postgresPassword: existing.postgresPassword ?? generate(),
  };
  if (JSON.stringify(existing) !== JSON.stringify(secrets)) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}

function generate(): string {
  return randomBytes(32).toString('base64url');
}
