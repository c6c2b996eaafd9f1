/**
 * parkrun's events feed (`events.json`) read from a file with stream-json, a feature at a
 * time, so memory stays flat however large the file. Two passes over the file: the first
 * checks that it is JSON of the feed's shape to its very end (a file cut off part way is
 * unusable, and nothing is stored from it); the second hands out the features.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import chain from 'stream-chain';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { streamValues } from 'stream-json/streamers/stream-values.js';
import { UnusableFileError } from '../../core/errors.js';

export interface FeedFeature {
  /** Where it is in the file: `events.features[12]`. */
  where: string;
  raw: unknown;
}

const shape = 'parkrun\'s events feed: {"countries": {...}, "events": {"type": "FeatureCollection", "features": [...]}}';

async function exists(path: string) {
  await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new UnusableFileError(error.code === 'ENOENT' ? `${path}: no such file` : `${path}: ${error.message}`);
  });
}

/** The first pass: the whole file parsed, its top-level shape checked. Returns the country codes it lists. */
export async function checkEventFeed(path: string): Promise<{ countryCodes: number[] }> {
  await exists(path);
  const seen: { countries?: unknown; type?: unknown } = {};
  let values = 0;
  try {
    const pipeline = chain([createReadStream(path), parser(), pick({ filter: /^(?:countries|events\.type)$/ }), streamValues()]);
    for await (const { value } of pipeline as AsyncIterable<{ value: unknown }>) {
      // pick hands the two values over in the file's order; tell them apart by kind.
      if (typeof value === 'string') seen.type = value;
      else seen.countries = value;
      values++;
    }
  } catch (error) {
    throw new UnusableFileError(`${path} is not valid JSON (${error instanceof Error ? error.message : String(error)}): expected ${shape}`);
  }
  if (values === 0 || seen.type !== 'FeatureCollection' || typeof seen.countries !== 'object' || seen.countries === null || Array.isArray(seen.countries)) {
    throw new UnusableFileError(`${path} is JSON but not ${shape}`);
  }
  return { countryCodes: Object.keys(seen.countries).map(Number).filter(Number.isInteger) };
}

/** The second pass: each feature in turn. Throws UnusableFileError when `events.features` is not an array. */
export async function* eventFeedFeatures(path: string): AsyncGenerator<FeedFeature> {
  await exists(path);
  let found = false;
  try {
    const pipeline = chain([createReadStream(path), parser(), pick({ filter: 'events.features' }), streamArray()]);
    for await (const { key, value } of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
      found = true;
      yield { where: `events.features[${key}]`, raw: value };
    }
  } catch (error) {
    throw new UnusableFileError(`${path}: events.features is not a list of features (${error instanceof Error ? error.message : String(error)})`);
  }
  // An empty list is a feed with no events; no list at all is not the feed.
  if (!found && !(await hasFeatureList(path))) throw new UnusableFileError(`${path} has no events.features list: expected ${shape}`);
}

async function hasFeatureList(path: string): Promise<boolean> {
  const pipeline = chain([createReadStream(path), parser(), pick({ filter: 'events.features' }), streamValues()]);
  for await (const { value } of pipeline as AsyncIterable<{ value: unknown }>) return Array.isArray(value);
  return false;
}
