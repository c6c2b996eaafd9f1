/** Each test file's tables go when it ends: DynamoDB Local slows as tables and items pile up over a run. */
import { afterAll } from 'vitest';
import { dropTestTables } from '../support/dynamo.js';

afterAll(dropTestTables);
