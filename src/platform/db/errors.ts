// Recognises database errors that are the caller's fault (a taken unique value) under drizzle's
// wrapping, so services can answer 409 instead of 500.
interface PostgresError {
  code?: string;
  constraint_name?: string;
  cause?: unknown;
}

/** The violated unique constraint's name, or null when the error is something else. */
export function uniqueViolation(error: unknown): string | null {
  for (let current = error as PostgresError | undefined; current; current = current.cause as PostgresError | undefined) {
    if (current.code === '23505') return current.constraint_name ?? '';
  }
  return null;
}
