// A child process of b2-store-proxy.test.ts: Node trusts the test's certificate authority only when
// NODE_EXTRA_CA_CERTS is set at start. Uploads a file to the HTTPS endpoint (straight), downloads
// it back through the proxy (CONNECT tunnels) in segments, in ranges and whole into memory, and
// prints what came back as JSON.
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openB2Store } from '../../../src/core/store/b2-store';

interface Request {
  endpoint: string;
  proxy: string;
  keyId: string;
  key: string;
  bucket: string;
  dir: string;
}

const MB = 1024 * 1024;
const sha1 = (data: Uint8Array): string => createHash('sha1').update(data).digest('hex');

async function main(request: Request): Promise<void> {
  const { endpoint, proxy, keyId, key, bucket, dir } = request;
  const store = await openB2Store({ keyId, key, bucket, endpoint, proxy, partSize: 5 * MB, largeFileThreshold: 6 * MB, downloadSegmentSize: MB, downloadConcurrency: 3, retryBaseDelayMs: 5 });
  const data = randomBytes(5 * MB + 77);
  const source = join(dir, 'tunnel-source.db');
  await writeFile(source, data);
  const version = await store.uploadFile(source, 'tunnel/app.db');
  const target = join(dir, 'tunnel-copy.db');
  const result = await store.downloadToFile(version, target);
  // Ranges are read in parallel: their bytes arrive in any order, each at its position.
  const ranges = Buffer.alloc(data.length);
  let rangeBytes = 0;
  await store.readRanges(version, [{ start: 10, length: 100 }, { start: data.length - 1, length: 1 }], (position, bytes) => {
    rangeBytes += bytes.copy(ranges, position);
  });
  const small = await store.downloadBytes(await store.uploadBytes('tunnel/small', Buffer.from('small')));
  process.stdout.write(
    JSON.stringify({
      downloadSha1Matches: result.sha1 === sha1(data) && sha1(await readFile(target)) === sha1(data),
      rangesMatch: rangeBytes === 101 && ranges.subarray(10, 110).equals(data.subarray(10, 110)) && ranges.at(-1) === data.at(-1),
      small: small.toString(),
    }),
  );
}

main(JSON.parse(process.argv[2] ?? '{}') as Request).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
