import { version } from '../../package.json';

/** The b2m version recorded on every upload and lock attempt. */
export const TOOL_VERSION = `b2m/${version}`;
