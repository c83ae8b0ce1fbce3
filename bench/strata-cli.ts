// The `strata` command straight from the sources (no build needed), for benches that run the CLI.
import { main } from '../electron/cli.js';

process.exitCode = await main(process.argv.slice(2));
