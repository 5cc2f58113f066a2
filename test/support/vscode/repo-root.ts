import { fileURLToPath } from 'node:url';

/** Absolute path of the checkout, without a trailing slash. */
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');
