/** Each test file's tables go when it ends (test/support/dynamo.ts). */
import { afterAll } from 'vitest';
import { runFileEnd } from '../support/file-end.js';

afterAll(runFileEnd);
