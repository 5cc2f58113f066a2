import HARNESS_SOURCE from './python/b2m_harness.py';

/**
 * The Python program (run with `-c`, see b2m_harness.py) that runs one migration script on the
 * scratch database and records it in `_b2m_migrations`:
 *   argv: <script> <scratch db> <id> <name> <checksum> <author>
 */
export const MIGRATION_HARNESS: string = HARNESS_SOURCE;

/** The harness's exit status when the script returned with a transaction still open (OPEN_TRANSACTION_EXIT there). */
export const OPEN_TRANSACTION_EXIT = 113;
