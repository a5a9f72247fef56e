// npm run new:module -- <name>: adds a module in the house layout (see tools/new-module/templates.ts),
// registers it, generates its migration and regenerates the typed API client. Right after it the app hosts the module, documents its
// routes and events, and its tests pass; a bad name is refused with one line and changes nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { moduleNames } from './new-module/module-name.js';
import { registerModule } from './new-module/register-module.js';
import { moduleFiles } from './new-module/templates.js';

const REGISTRY = 'src/module-registry.ts';
const MIGRATIONS = 'migrations';

function main(args: string[]): void {
  if (args.length !== 1) fail('usage: npm run new:module -- <kebab-case-name>');
  const existing = readdirSync('src/modules', { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const names = moduleNames(args[0]!, existing);
  if (typeof names === 'string') fail(`new:module: ${names}`);

  const folder = path.join('src/modules', names.name);
  const registry = readFileSync(REGISTRY, 'utf8');
  const registered = registerModule(registry, names);
  const migrationsBefore = new Set(listMigrationFiles());
  const journal = readFileSync(`${MIGRATIONS}/meta/_journal.json`, 'utf8');
  try {
    for (const [file, contents] of Object.entries(moduleFiles(names))) {
      mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
      writeFileSync(path.join(folder, file), contents);
    }
    writeFileSync(REGISTRY, registered);
    execFileSync('npx', ['drizzle-kit', 'generate', '--name', names.schema], { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (error) {
    // Back to how it was: no half-made module.
    rmSync(folder, { recursive: true, force: true });
    writeFileSync(REGISTRY, registry);
    for (const file of listMigrationFiles()) if (!migrationsBefore.has(file)) rmSync(file);
    writeFileSync(`${MIGRATIONS}/meta/_journal.json`, journal);
    fail(`new:module: could not generate the migration of ${names.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const migration = listMigrationFiles().find((file) => !migrationsBefore.has(file) && file.endsWith('.sql'));
  // Its routes are part of the API document now: the committed client follows it.
  execFileSync('npm', ['run', '-s', 'client:generate'], { stdio: ['ignore', 'ignore', 'inherit'] });
  console.log(`new:module: added ${folder}/ (hosted by default), registered it in ${REGISTRY}, migration ${migration ?? '(none)'}, and regenerated clients/typescript`);
  console.log(`next: npm run typecheck && npx vitest run ${folder}`);
}

function listMigrationFiles(): string[] {
  return [MIGRATIONS, `${MIGRATIONS}/meta`].flatMap((dir) => (existsSync(dir) ? readdirSync(dir).map((file) => `${dir}/${file}`) : []));
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

main(process.argv.slice(2));
