import { format } from 'node:util';

/**
 * Prints a line of test output to the terminal that runs the tests. Tests should use this rather
 * than console.log: in code-server the extension host's console reaches the test driver mixed
 * into the workbench's own log, so lines meant for the terminal carry the tag the driver sets in
 * B2M_TEST_OUTPUT_TAG. (The extension host ignores reassigning console methods, so console itself
 * cannot be tagged.) Elsewhere, e.g. in desktop VS Code, it is plain console.log.
 */
export function print(...args: unknown[]): void {
  console.log(`${process.env.B2M_TEST_OUTPUT_TAG ?? ''}${format(...args)}`);
}
