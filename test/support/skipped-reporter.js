/**
 * Names every skipped test at the end of the run, with its reason (the test's title carries it), so a
 * suite that could not run here — KurrentDB without a server — is visible in CI, never silently green.
 */
class SkippedReporter {
  onRunComplete(_contexts, results) {
    const skipped = [];
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status === 'pending' || test.status === 'skipped' || test.status === 'todo')
          skipped.push(test.fullName);
      }
    }
    if (skipped.length === 0) return;
    process.stderr.write(`\nSkipped (${skipped.length}):\n${skipped.map((name) => `  - ${name}`).join('\n')}\n`);
  }
}
module.exports = SkippedReporter;
