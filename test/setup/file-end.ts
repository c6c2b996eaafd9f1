/** Each test file's tables go when it ends, each given back to the pool (dynamodb-pool.ts), so an instance that has had its tables can stop. */
import { afterAll } from 'vitest';
import { runFileEnd } from '../support/file-end.js';

afterAll(runFileEnd);
