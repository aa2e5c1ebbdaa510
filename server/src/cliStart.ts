// The `cmts` executable (dist/cli.js): answers `--version` before anything else is loaded, then
// hands over to the command line proper, bundled apart as dist/cliCore.js. Loading that bundle
// (the catalog, the checks, ajv) is most of a start-up; `cmts --version` need not pay it (issue 20).

declare const CMTS_VERSION: string | undefined;

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${typeof CMTS_VERSION === 'string' ? CMTS_VERSION : '0.0.0-dev'}\n`);
} else {
  // A separate bundle (esbuild leaves this path to Node), loaded only when a command needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./cliCore.js') as typeof import('./cli')).run(argv);
}
