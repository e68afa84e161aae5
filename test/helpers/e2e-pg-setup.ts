import { pgServerUrl } from './engines.js';

/**
 * The `postgres` project's setup, before each e2e file: the server its
 * sandboxes make their schemas on (this worker's PGlite, started here once,
 * or CARNET_TEST_PG_URL), so that sandbox() can stay synchronous.
 */
process.env.CARNET_TEST_E2E_PG_SERVER = await pgServerUrl();
