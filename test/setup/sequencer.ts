/**
 * The order files start in: the long ones first, on a fresh clone too. vitest starts the
 * files that took longest last time first, but a fresh clone (CI) has no last time, and
 * then it starts the largest files first: the tour, a short file and the longest, started
 * near the end and ran on alone while the other worker sat idle. So the browser files and
 * the stack's synthesis (a minute or so each under load) go first, in vitest's own order
 * among themselves, and the rest after them, in its order too.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const isLong = (file: string) => /\/test\/e2e\//.test(file) || file.endsWith('/test/infra/stack.test.ts');

export class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted.filter((f) => isLong(f.moduleId)), ...sorted.filter((f) => !isLong(f.moduleId))];
  }
}
