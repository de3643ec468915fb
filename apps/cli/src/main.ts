/** Entry point of `ambient` (see bin/ambient.js): run the command, map failures to exit codes. */
import { CommanderError } from 'commander';
import { createContext } from './context.ts';
import { describeError, exitCodeFor } from './errors.ts';
import { processOutput } from './output.ts';
import { buildProgram } from './program.ts';

async function main(): Promise<number> {
  const output = processOutput();
  const context = createContext(output, process.env);
  try {
    await buildProgram(context).parseAsync(process.argv);
    return context.exitCode;
  } catch (error) {
    // commander has already printed its own message (and help) for the errors it raises.
    if (!(error instanceof CommanderError)) output.err(`error: ${describeError(error)}\n`);
    return exitCodeFor(error);
  }
}

// exitCode, not exit(): output still being written to a pipe must not be cut off.
process.exitCode = await main();
