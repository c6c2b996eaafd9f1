/**
 * Go-live files at a size, as head office would have them: parkrun's events feed (the UK's
 * 5 km events among the whole world's and the junior events, as published), a regions
 * file, an event-teams spreadsheet (about two directors an event) and the practices
 * already in the scheme, linked in the survey's proportions. Scale 1 is the real size:
 * 700 UK events in a feed of about 2,300, 1,500 directors, 2,000 practices. A larger scale
 * makes every file larger (the rest of the world's events, more directors and practices)
 * over the same 700 UK events, to show what an import holds as its files grow.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const regions = ['East Midlands', 'East of England', 'London', 'North East', 'North West', 'Northern Ireland', 'Scotland', 'South East', 'South West', 'Wales', 'West Midlands', 'Yorkshire and the Humber'];

/** A deterministic sequence, so two runs write the same files. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 2 ** 32;
  };
}

export interface ImportFiles {
  events: string;
  regions: string;
  teams: string;
  practices: string;
  counts: { ukEvents: number; features: number; directors: number; practices: number; bytes: number };
}

export async function writeImportFiles(dir: string, scale: number): Promise<ImportFiles> {
  const next = random(20260 + scale);
  const ukEvents = 700;
  const feature = (eventname: string, name: string, countrycode: number, seriesid: number) => ({
    id: 0,
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [Number((-6 + next() * 7.5).toFixed(6)), Number((50 + next() * 8.5).toFixed(6))] },
    properties: { eventname, EventLongName: name, EventShortName: name.replace(/ parkrun$/, ''), LocalisedEventLongName: null, countrycode, seriesid, EventLocation: `${name.replace(/ parkrun$/, '')} Park` },
  });
  const features = [
    ...Array.from({ length: ukEvents }, (_, i) => feature(`event${i}`, `Event ${i} parkrun`, 97, 1)),
    ...Array.from({ length: 330 }, (_, i) => feature(`event${i}-juniors`, `Event ${i} junior parkrun`, 97, 2)),
    ...Array.from({ length: 1270 + 2300 * (scale - 1) }, (_, i) => feature(`abroad${i}`, `Abroad ${i} parkrun`, [3, 14, 32, 42, 65, 85, 98][i % 7]!, 1)),
  ].map((f, i) => ({ ...f, id: i + 1 }));
  const feedText = JSON.stringify({ countries: { '97': { url: 'www.parkrun.org.uk' } }, events: { type: 'FeatureCollection', features } });
  const crlf = (lines: string[]) => `\ufeff${lines.join('\r\n')}\r\n`;

  const regionLines = ['eventname,region', ...Array.from({ length: ukEvents }, (_, i) => `event${i},${regions[i % regions.length]}`)];
  const directors = Math.round(1500 * scale);
  const teamLines = ['event,name,email,notes', ...Array.from({ length: directors }, (_, i) => `event${i % ukEvents},"Director ${i}, Volunteer",director${i}@parkrun.example,`)];
  // Practices per linked event as the survey found: mostly one or two, a few more.
  const practices = 2000 * scale;
  const practiceLines = [
    'practiceCode,practiceName,postcode,championName,championRole,championEmail,championPhone,events,registeredOn,lastContactOn',
    ...Array.from({ length: practices }, (_, i) => {
      const events = [`event${Math.floor(next() * ukEvents * 0.7)}`, ...(next() < 0.1 ? [`Event ${Math.floor(next() * ukEvents)} parkrun`] : [])];
      const registered = `20${18 + Math.floor(next() * 7)}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`;
      const contact = next() < 0.6 ? `2026-0${1 + Math.floor(next() * 9)}-2${Math.floor(next() * 8)}` : '';
      return `P${String(10000 + i).padStart(5, '0')},"Surgery ${i}, Practice",TW11 0AA,Dr Champion ${i},GP,champion${i}@nhs.example,,${[...new Set(events)].join(';')},${registered},${contact}`;
    }),
  ];
  const paths = { events: join(dir, 'events.json'), regions: join(dir, 'regions.csv'), teams: join(dir, 'event-teams.csv'), practices: join(dir, 'practices.csv') };
  const texts = [feedText, crlf(regionLines), crlf(teamLines), crlf(practiceLines)];
  await Promise.all([writeFile(paths.events, texts[0]!), writeFile(paths.regions, texts[1]!), writeFile(paths.teams, texts[2]!), writeFile(paths.practices, texts[3]!)]);
  return { ...paths, counts: { ukEvents, features: features.length, directors, practices, bytes: texts.reduce((n, t) => n + Buffer.byteLength(t), 0) } };
}
