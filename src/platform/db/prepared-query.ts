// Queries built once per connection or transaction instead of on every call. drizzle turns its
// query objects into SQL each time a query runs, which was the app's own largest cost in profiles
// of a cached read; a prepared query keeps that SQL and takes only the values (its placeholders).
// postgres.js prepares the statement on the server either way.
import type { Db, Tx } from './database.js';

type Runner = Db | Tx;

interface Prepared<Result> {
  execute(values: Record<string, unknown>): Promise<Result>;
}

/**
 * `build` writes the query with `sql.placeholder(name)` for each value and ends with
 * `.prepare(name)`; the returned function runs it on a runner with the values.
 */
export function preparedQuery<Values extends Record<string, unknown>, Result>(build: (runner: Runner) => Prepared<Result>) {
  const built = new WeakMap<Runner, Prepared<Result>>();
  return (runner: Runner, values: Values): Promise<Result> => {
    let query = built.get(runner);
    if (!query) built.set(runner, (query = build(runner)));
    return query.execute(values);
  };
}
