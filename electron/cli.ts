/**
 * The `strata` command line: profile models headless (CI boxes, edge devices over SSH), list
 * execution providers, export reports, and serve the app to a browser.
 *
 * Every failure ends in one line naming the problem and the fix, and a non-zero exit: 2 for a
 * mistake in the command line, 1 for anything else. Never a stack trace, unless STRATA_DEBUG=1.
 */
import { toErrorInfo } from '../shared/errors.js';
import { terminalLine } from './cli/terminal.js';
import { strataVersion } from './core/version.js';

const HELP = `Strata ${strataVersion()}: where the milliseconds and megabytes of an ONNX model go.

Usage:
  strata profile MODEL.onnx [options]    profile a model (strata profile --help for options)
  strata inspect MODEL.onnx [--json]     structure, parameters, opsets, I/O, ops, subgraphs (weights unread)
  strata eps [--json]                    execution providers on this machine and why any is missing
  strata ceilings [--remeasure] [--json] this machine's caches, latency/bandwidth staircase and
                                         roofline ceilings, as measured (once) and cached
  strata report REPORT.json [--html F] [--csv F] [--trace F]
                                         export a saved report
  strata serve [MODEL] [--port P] [--no-open]
                                         the app in a browser, on 127.0.0.1
  strata quantize MODEL --out F [--mode dynamic|weight-only|static] [--per-channel] [--symmetric] ...
  strata convert MODEL --fp16 --out F [--keep-fp32 OPS]
  strata prune MODEL --sparsity S [--pattern unstructured|2:4] --out F
  strata generate MODEL [--prompt-lengths 16,64,256] [--new-tokens 64] [--draft D] [--gamma 1-8] --json F
                                         a decoder's prefill, decode, KV cache and speculative pair
  strata compare BASE VARIANT... [--runs N] [--shape ...] [--input ...] --json F [--html F]
                                         variants of a model side by side: speed, size, drift
  strata devices add NAME ssh://user@host[:port] | list | check [NAME] | remove NAME
                                         your own devices over SSH (strata devices --help);
                                         then profile or compare with --on NAME[,NAME...,local]
  strata --version

Any command takes --verbose: an error then also shows onnxruntime's own message, if there was one.
`;

type Command = (argv: readonly string[]) => Promise<number>;

// Commands load their modules on demand so `strata eps` does not pay for the server, and so on.
const COMMANDS: Record<string, () => Promise<Command>> = {
  profile: async () => (await import('./cli/profile-command.js')).runProfileCommand,
  inspect: async () => (await import('./cli/inspect-command.js')).runInspectCommand,
  eps: async () => (await import('./cli/eps-command.js')).runEpsCommand,
  ceilings: async () => (await import('./cli/ceilings-command.js')).runCeilingsCommand,
  report: async () => (await import('./cli/report-command.js')).runReportCommand,
  serve: async () => (await import('./cli-serve.js')).runServe,
  quantize: async () => (await import('./cli/variant-commands.js')).runQuantizeCommand,
  convert: async () => (await import('./cli/variant-commands.js')).runConvertCommand,
  prune: async () => (await import('./cli/variant-commands.js')).runPruneCommand,
  compare: async () => (await import('./cli/compare-command.js')).runCompareCommand,
  generate: async () => (await import('./cli/generate-command.js')).runGenerateCommand,
  devices: async () => (await import('./cli/devices-command.js')).runDevicesCommand,
};

/** Runs the command line `argv` (without node and the script) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  const [command, ...rest] = argv.filter((arg) => arg !== '--verbose');
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${strataVersion()}\n`);
    return 0;
  }
  const load = COMMANDS[command];
  if (!load) {
    process.stderr.write(
      `strata: unknown command "${terminalLine(command, 100)}". Commands: ${Object.keys(COMMANDS).join(', ')}; see strata --help.\n`,
    );
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    const { COMMAND_HELP } = await import('./cli/help.js');
    process.stdout.write(COMMAND_HELP[command] ?? HELP);
    return 0;
  }
  try {
    return await (
      await load()
    )(rest);
  } catch (err) {
    const info = toErrorInfo(err);
    if (process.env.STRATA_DEBUG === '1' && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    // One line, whatever the message holds: model names may carry escapes or run for megabytes.
    process.stderr.write(`strata: error: ${terminalLine(info.message)}\n`);
    if (info.detail && verbose)
      process.stderr.write(`strata: the underlying message: ${terminalLine(info.detail, 8000)}\n`);
    return info.code === 'BAD_ARGUMENT' ? 2 : 1;
  }
}
