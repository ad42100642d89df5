import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

interface FileTiming {
  file: string;
  project: string;
  /** Importing the test file and all it imports (the module graph), in ms. */
  imports: number;
  /** beforeAll/afterAll/beforeEach/afterEach together: opening databases and apps, in ms. */
  hooks: number;
  /** The test bodies together, in ms. */
  tests: number;
  slowestTest: number;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1).padStart(7);

/**
 * Where a run's time goes, file by file (npm run test:timings): imports, hooks (database and app
 * start-up) and test bodies, slowest files first. Printed, or written to the file TIMINGS names.
 */
export default class FileTimingsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const rows = testModules.map(timingOf).sort((a, b) => b.imports + b.hooks + b.tests - (a.imports + a.hooks + a.tests));
    const sum = (pick: (row: FileTiming) => number) => rows.reduce((total, row) => total + pick(row), 0);
    const lines = [
      `${'total'.padStart(7)} ${'imports'.padStart(7)} ${'hooks'.padStart(7)} ${'tests'.padStart(7)} ${'slowest'.padStart(7)}  file (seconds)`,
      ...rows.map(
        (row) =>
          `${seconds(row.imports + row.hooks + row.tests)} ${seconds(row.imports)} ${seconds(row.hooks)} ${seconds(row.tests)} ${seconds(row.slowestTest)}  ${row.project}: ${row.file}`,
      ),
      `${seconds(sum((r) => r.imports + r.hooks + r.tests))} ${seconds(sum((r) => r.imports))} ${seconds(sum((r) => r.hooks))} ${seconds(sum((r) => r.tests))} ${''.padStart(7)}  all ${rows.length} files (summed over workers)`,
    ];
    const target = process.env.TIMINGS;
    if (target && target !== '1') writeFileSync(target, `${lines.join('\n')}\n`);
    else console.log(lines.join('\n'));
  }
}

function timingOf(testModule: TestModule): FileTiming {
  const diagnostic = testModule.diagnostic();
  const testDurations = [...testModule.children.allTests()].map((test) => test.diagnostic()?.duration ?? 0);
  const tests = testDurations.reduce((total, duration) => total + duration, 0);
  return {
    file: testModule.relativeModuleId,
    project: testModule.project.name || 'default',
    imports: diagnostic.collectDuration,
    // The module's duration counts tests and hooks together; what the tests did not take, hooks did.
    hooks: Math.max(0, diagnostic.duration - tests),
    tests,
    slowestTest: Math.max(0, ...testDurations),
  };
}
