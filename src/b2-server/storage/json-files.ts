import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';

/**
 * Writes JSON files atomically (temp file + rename). Writes to one path are queued, and each
 * takes its value when it runs, so the file always ends with the latest state even when
 * concurrent requests update the same record.
 */
export class AtomicJsonFiles {
  private readonly queues = new Map<string, Promise<void>>();

  write(path: string, value: () => unknown): Promise<void> {
    return this.enqueue(path, async () => {
      const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temp, JSON.stringify(value()));
      await rename(temp, path);
    });
  }

  remove(path: string): Promise<void> {
    return this.enqueue(path, () => rm(path, { force: true }));
  }

  /** Resolves when every queued write has finished. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.queues.values()]);
  }

  private enqueue(path: string, task: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(path) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(task);
    this.queues.set(path, current);
    const forget = (): void => {
      if (this.queues.get(path) === current) this.queues.delete(path);
    };
    current.then(forget, forget);
    return current;
  }
}

export async function readJsonFile<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}
