import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BadInputError } from '../core/errors';
import { parseBandwidth } from './http/bandwidth-rate';
import { DEFAULT_BUCKET, DEFAULT_KEY, DEFAULT_KEY_ID, startLocalB2Server } from './index';

export const DEFAULT_SERVER_PORT = 9779;
export const DEFAULT_DATA_DIR = '.b2m-server';

export const SERVER_USAGE = 'b2m server [--port N] [--data DIR] [--bucket NAME]... [--key-id ID] [--key KEY] [--bandwidth RATE] [--test-control]';

/** What the options do; also the details of `b2m server --help` in the b2m command line. */
export const SERVER_OPTION_HELP = `  --port N          port on 127.0.0.1 (default ${DEFAULT_SERVER_PORT}; 0 picks a free one)
  --data DIR        folder holding buckets and files, kept across restarts (default ./${DEFAULT_DATA_DIR})
  --bucket NAME     bucket to create if missing (repeatable; default ${DEFAULT_BUCKET})
  --key-id ID       application key id clients must use (default ${DEFAULT_KEY_ID})
  --key KEY         application key clients must use (default ${DEFAULT_KEY})
  --bandwidth RATE  simulate a slow link: upload and download bodies of all connections together
                    cross at most RATE, e.g. 10MB/s, 512KiB/s, 1.5MB/s (KB, MB, GB: steps of 1000;
                    KiB, MiB, GiB: steps of 1024); unlimited by default
  --test-control    serve the test control API under /__b2m_test/ (inject faults, skew the clock,
                    expire tokens, limit the bandwidth, count requests); for automated tests only:
                    any local process can use it`;

export const SERVER_HELP = `b2m server: run a local B2-compatible server (for tests, demos and offline work)

Usage: ${SERVER_USAGE}

Options:
${SERVER_OPTION_HELP}
  --help

It prints the environment to give b2m (B2_APPLICATION_KEY_ID, B2_APPLICATION_KEY, B2M_ENDPOINT)
and runs until Ctrl+C.`;

export interface ServerCommandOptions {
  /** Where to print (default: process.stdout). */
  write?: (text: string) => void;
  /** Stops the server when aborted (besides SIGINT and SIGTERM). */
  signal?: AbortSignal;
  cwd?: string;
}

/** `b2m server ...`: starts the local B2 server and runs until SIGINT/SIGTERM (or `signal`). */
export async function runServerCommand(args: string[], options: ServerCommandOptions = {}): Promise<void> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const values = parseServerArgs(args);
  if (values.help) {
    write(`${SERVER_HELP}\n`);
    return;
  }
  const port = values.port === undefined ? DEFAULT_SERVER_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new BadInputError(`--port must be a number from 0 to 65535, not "${values.port}".`);
  }
  const dataDir = resolve(options.cwd ?? process.cwd(), values.data ?? DEFAULT_DATA_DIR);
  const buckets = values.bucket?.length ? values.bucket : [DEFAULT_BUCKET];

  const testControl = values['test-control'] ?? false;
  const bandwidthBytesPerSecond = values.bandwidth === undefined ? undefined : parseBandwidth(values.bandwidth);
  const keys = { keyId: values['key-id'], key: values.key };
  const server = await startLocalB2Server({ port, dataDir, buckets, ...keys, testControl, bandwidthBytesPerSecond }).catch((e: unknown) => {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new BadInputError(`Port ${port} is already in use.`, 'Pick another with --port N, or --port 0 for a free one.');
    }
    throw e;
  });
  write(
    [
      `b2m server listening on ${server.url}`,
      `data folder: ${dataDir}`,
      `buckets: ${buckets.join(', ')}`,
      ...(values.bandwidth === undefined ? [] : [`bandwidth: ${values.bandwidth} (${bandwidthBytesPerSecond} bytes/s), shared by all transfers`]),
      ...(testControl ? [`test control API: ${server.url}/__b2m_test/ (tests only)`] : []),
      'Point b2m at it with:',
      `export B2_APPLICATION_KEY_ID=${server.keyId}`,
      `export B2_APPLICATION_KEY=${server.key}`,
      `export B2M_ENDPOINT=${server.url}`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  await untilStopped(options.signal);
  await server.close();
  write('b2m server stopped\n');
}

/** The options of `b2m server`, shared with the b2m command line's help. */
export const SERVER_OPTIONS = {
  port: { type: 'string' },
  data: { type: 'string' },
  bucket: { type: 'string', multiple: true },
  'key-id': { type: 'string' },
  key: { type: 'string' },
  bandwidth: { type: 'string' },
  'test-control': { type: 'boolean' },
} as const;

function parseServerArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: { ...SERVER_OPTIONS, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (e) {
    throw new BadInputError((e as Error).message, 'See "b2m server --help".');
  }
}

function untilStopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolveStop) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      resolveStop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop);
  });
}
