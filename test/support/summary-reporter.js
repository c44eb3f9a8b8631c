// Ends every run with one plain line, `N passed, N failed, N skipped`, which CI reads.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests + results.numTodoTests} skipped\n`;
    process.stdout.write(`\n${line}`);
    // scripts/test.sh repeats it after the steps that follow jest (API fuzzing), so it stays the closing line.
    if (process.env.PRECHARGE_SUMMARY_FILE) require('node:fs').writeFileSync(process.env.PRECHARGE_SUMMARY_FILE, line);
  }
}
module.exports = SummaryReporter;
