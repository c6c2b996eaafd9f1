/**
 * parkrun's published events feed, read as head office loads it: which features are
 * imported (one country, one series), what each must hold, and the event the product
 * keeps from it. Pure: the go-live import (use-cases/import-events.ts) reads the file and
 * writes the table.
 *
 * The feed: `{"countries": {"97": {"url": "www.parkrun.org.uk", ...}}, "events":
 * {"type": "FeatureCollection", "features": [{"id": 1, "type": "Feature", "geometry":
 * {"type": "Point", "coordinates": [lon, lat]}, "properties": {"eventname": "bushy",
 * "EventLongName": "Bushy parkrun", "EventShortName": "Bushy", "LocalisedEventLongName":
 * null, "countrycode": 97, "seriesid": 1, "EventLocation": "Bushy Park, Teddington"}}]}}`.
 * It has no regions, time zones, start times or directors: those come from elsewhere.
 */
import type { FeedOrigin, Nation, ParkrunEvent } from '../model.js';
import { eventShortNamePattern } from './registration-input.js';

/** What the feed cannot say about a country: its name, its clock, and when its events start. */
export interface FeedCountry {
  name: string;
  timeZone: string;
  /** Local start time by series: 1 (5 km, Saturdays), 2 (junior, Sundays). */
  startTimes: Record<1 | 2, string>;
}

/** Countries known here; any other needs --country-name, --time-zone and --start-time. */
export const feedCountries: Record<number, FeedCountry> = {
  97: { name: 'United Kingdom', timeZone: 'Europe/London', startTimes: { 1: '09:00', 2: '09:00' } },
  42: { name: 'Ireland', timeZone: 'Europe/Dublin', startTimes: { 1: '09:30', 2: '09:30' } },
};

export const ukCountryCode = 97;

/** Which features an import takes, and what it stores for them that the feed does not say. */
export interface FeedSelection {
  countryCode: number;
  seriesId: 1 | 2;
  countryName: string;
  timeZone: string;
  startTime: string;
  /** The event team's own address, from its short name: `{eventname}@parkrun.com`. */
  teamAddressPattern: string;
}

export const defaultTeamAddressPattern = '{eventname}@parkrun.com';

export interface FeedSelectionOptions {
  countryCode?: number;
  junior?: boolean;
  countryName?: string;
  timeZone?: string;
  startTime?: string;
  teamAddressPattern?: string;
}

const emailPattern = /^[^\s@<>(),;:"[\]\\]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

/** Resolves an import's options; throws a plain Error naming what is missing or wrong (the CLI's usage message). */
export function feedSelection(options: FeedSelectionOptions = {}): FeedSelection {
  const countryCode = options.countryCode ?? ukCountryCode;
  const seriesId = options.junior ? 2 : 1;
  const known = feedCountries[countryCode];
  const countryName = options.countryName ?? known?.name;
  const timeZone = options.timeZone ?? known?.timeZone;
  const startTime = options.startTime ?? known?.startTimes[seriesId];
  if (!countryName || !timeZone || !startTime) {
    throw new Error(`Country ${countryCode} is not one this product knows: give --country-name, --time-zone and --start-time for it`);
  }
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
  } catch {
    throw new Error(`--time-zone ${timeZone} is not a time zone (use one such as Europe/London)`);
  }
  if (!/^(?:[01]\d|2[0-3]):[0-5]\d$/.test(startTime)) throw new Error(`--start-time ${startTime} must be a time such as 09:00`);
  const teamAddressPattern = options.teamAddressPattern ?? defaultTeamAddressPattern;
  if (!teamAddressPattern.includes('{eventname}') || !emailPattern.test(teamAddressPattern.replace('{eventname}', 'bushy'))) {
    throw new Error(`--team-address ${teamAddressPattern} must be an address with {eventname} in it, such as ${defaultTeamAddressPattern}`);
  }
  return { countryCode, seriesId, countryName, timeZone, startTime, teamAddressPattern };
}

/** What one feature gives, checked. */
export interface FeedEvent {
  shortName: string;
  name: string;
  location?: string;
  coordinates: { lat: number; lon: number };
}

export interface Refusal {
  field: string;
  reason: string;
}

export type FeatureReading = { kind: 'other' } | { kind: 'event'; event: FeedEvent } | { kind: 'refused'; shortName?: string; problems: Refusal[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const badText = /[\r\n\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udfff]/u;

function text(value: unknown, field: string, max: number, problems: Refusal[], required: boolean): string | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    if (required) problems.push({ field, reason: `${field} is required` });
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.push({ field, reason: `${field} must be text` });
    return undefined;
  }
  const trimmed = value.trim();
  if (trimmed.length > max) problems.push({ field, reason: `${field} must be at most ${max} characters` });
  else if (badText.test(trimmed)) problems.push({ field, reason: `${field} must be a single line of text` });
  else return trimmed;
  return undefined;
}

/**
 * One feature of the feed: another country's or series' (`other`, not looked at further),
 * one to import, or one refused with what is wrong with it.
 */
export function readFeature(raw: unknown, selection: Pick<FeedSelection, 'countryCode' | 'seriesId'>): FeatureReading {
  if (!isObject(raw) || !isObject(raw.properties)) return { kind: 'refused', problems: [{ field: 'properties', reason: 'not a feature with properties' }] };
  const p = raw.properties;
  if (typeof p.countrycode !== 'number' || typeof p.seriesid !== 'number') {
    const shortName = typeof p.eventname === 'string' ? p.eventname : undefined;
    return { kind: 'refused', ...(shortName ? { shortName } : {}), problems: [{ field: typeof p.countrycode !== 'number' ? 'countrycode' : 'seriesid', reason: 'must be a number' }] };
  }
  if (p.countrycode !== selection.countryCode || p.seriesid !== selection.seriesId) return { kind: 'other' };
  const problems: Refusal[] = [];
  const shortName = text(p.eventname, 'eventname', 80, problems, true);
  if (shortName !== undefined && !eventShortNamePattern.test(shortName)) problems.push({ field: 'eventname', reason: `eventname "${shortName}" must be lower-case letters, digits and hyphens, as in parkrun's URLs` });
  const name = text(p.EventLongName, 'EventLongName', 120, problems, true);
  const location = text(p.EventLocation, 'EventLocation', 200, problems, false);
  const coordinates = isObject(raw.geometry) ? raw.geometry.coordinates : undefined;
  const [lon, lat] = Array.isArray(coordinates) ? coordinates : [];
  if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
    problems.push({ field: 'coordinates', reason: 'geometry.coordinates must be [longitude, latitude]' });
  } else if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
    problems.push({ field: 'coordinates', reason: `coordinates [${lon}, ${lat}] are out of range (longitude -180 to 180, latitude -90 to 90)` });
  }
  if (problems.length > 0 || !shortName || !name) return { kind: 'refused', ...(typeof p.eventname === 'string' ? { shortName: p.eventname } : {}), problems };
  return { kind: 'event', event: { shortName, name, ...(location ? { location } : {}), coordinates: { lat: lat as number, lon: lon as number } } };
}

/** The UK's regions that are nations of their own; every other UK region is in England. */
const nationRegions: readonly Nation[] = ['Scotland', 'Wales', 'Northern Ireland'];
export const unassignedRegion = 'No region';

/**
 * Head office counts the UK by nation (health is devolved), so a UK event's country is
 * its nation, read from its region: Scotland, Wales and Northern Ireland are regions of
 * their own, and any other region is in England. Without a region it is the UK as a whole.
 */
export function countryOf(selection: Pick<FeedSelection, 'countryCode' | 'countryName'>, region: string | undefined): string {
  if (selection.countryCode !== ukCountryCode || !region || region === unassignedRegion) return selection.countryName;
  return (nationRegions as readonly string[]).includes(region) ? region : 'England';
}

/** The fields an import sets on an event; everything else (directors, first-timer contact, unavailable days) stays as it is. */
export type FeedFields = Pick<ParkrunEvent, 'shortName' | 'name' | 'country' | 'region' | 'timeZone' | 'startTime' | 'weekday' | 'coordinates' | 'teamEmail'> & {
  location?: string;
  feed: FeedOrigin;
};

/** The event as the import stores it. `region`: from the regions file, else as stored, else none. */
export function feedFields(event: FeedEvent, selection: FeedSelection, region: string | undefined): FeedFields {
  const place = region ?? unassignedRegion;
  return {
    shortName: event.shortName,
    name: event.name,
    ...(event.location ? { location: event.location } : {}),
    coordinates: event.coordinates,
    country: countryOf(selection, place),
    region: place,
    timeZone: selection.timeZone,
    startTime: selection.startTime,
    weekday: selection.seriesId === 2 ? 0 : 6,
    feed: { countryCode: selection.countryCode, seriesId: selection.seriesId, inFeed: true },
    teamEmail: selection.teamAddressPattern.replace('{eventname}', event.shortName).toLowerCase(),
  };
}

/** True when storing `fields` would change nothing of `stored`. */
export function sameFeedFields(stored: ParkrunEvent, fields: FeedFields): boolean {
  const pick = (e: Partial<FeedFields>) =>
    JSON.stringify([e.name, e.location ?? null, e.coordinates?.lat, e.coordinates?.lon, e.country, e.region, e.timeZone, e.startTime, e.weekday, e.teamEmail ?? null, e.feed?.countryCode, e.feed?.seriesId, e.feed?.inFeed]);
  return pick(stored as Partial<FeedFields>) === pick(fields);
}

/** Does this stored event belong to the selection (so that its absence from the feed means it has gone)? */
export const inSelection = (event: ParkrunEvent, selection: Pick<FeedSelection, 'countryCode' | 'seriesId'>) =>
  event.feed?.countryCode === selection.countryCode && event.feed.seriesId === selection.seriesId;
