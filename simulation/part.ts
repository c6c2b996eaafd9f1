/**
 * One part of a split simulation (see worldPart), run as its own process by run.ts with
 * its own local stack and DynamoDB Local. It reports each week to the parent as it ends
 * and writes its whole result to the file the parent names.
 */
import { writeFileSync } from 'node:fs';
import { storeResult } from './merge.js';
import type { SimulationOptions } from './options.js';
import { simulate, type WeekFigures } from './simulate.js';

export interface PartMessage {
  week: WeekFigures;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.LOG_LEVEL ??= 'silent';

const [index, of] = (process.env.SIMULATION_PART ?? '').split('/').map(Number);
const file = process.env.SIMULATION_RESULT;
if (index === undefined || of === undefined || !Number.isInteger(index) || !Number.isInteger(of) || !file || !process.env.SIMULATION_OPTIONS) {
  throw new Error('simulation/part.ts is run by simulation/run.ts, with SIMULATION_PART, SIMULATION_OPTIONS and SIMULATION_RESULT set');
}
const options = JSON.parse(process.env.SIMULATION_OPTIONS) as SimulationOptions;
const result = await simulate(options, (_week, _of, figures) => process.send?.({ week: figures } satisfies PartMessage), { index, of });
writeFileSync(file, JSON.stringify(storeResult(result)));
process.disconnect?.();
