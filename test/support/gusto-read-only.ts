/**
 * Runs after every test file (jest setupFilesAfterEach): the connector must never write to Gusto, so
 * every Gusto sandbox the file started must have seen zero non-GET requests to a /v1 data path.
 * The sandbox's own tests send such requests on purpose to pin that the sandbox flags them.
 */
import { startedGustoSandboxes } from '../../src/sandbox/gusto';

afterAll(() => {
  const testPath = expect.getState().testPath ?? '';
  if (/test[\\/]sandbox[\\/]gusto[\\/]/.test(testPath)) return;
  const writes = startedGustoSandboxes().flatMap((sandbox) =>
    sandbox.nonGetDataRequests().map((r) => `${r.method} ${r.path}`),
  );
  expect(writes).toEqual([]);
});
