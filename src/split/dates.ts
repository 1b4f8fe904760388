/**
 * Publication times read from text: relative ("37 minutes ago", "yesterday") resolved
 * against the capture time, and absolute ("Jun 9, 2025 16:54 (JST)", "9 June 2025",
 * "2025-06-09T10:00:00Z") with their time zone. Pure: the clock is the capture time passed in.
 * Input: a phrase and the capture time. Output: an ISO 8601 instant or null (also for an
 * instant outside the years 0000–9999, which the record schema cannot hold). Errors: none.
 */
import type { Published } from '../schema/pipeline.js';
import type { SplitRules } from './rules.js';

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, sept: 8, oct: 9, nov: 10, dec: 11,
};
const MONTH = String.raw`(?<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?`;
const TIME = String.raw`(?:,?\s*(?:at\s+)?(?<hour>\d{1,2})[:.](?<minute>\d{2})(?:[:.](?<second>\d{2}))?\s*(?<ampm>[ap]\.?m\.?)?)?`;
const WEEKDAY = String.raw`(?:(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)[a-z]*\.?,?\s+)?`;


interface DateRegexes {
  monthFirst: RegExp;
  dayFirst: RegExp;
}
const regexCache = new WeakMap<SplitRules, DateRegexes>();

/** Zone names come from the rules, so "Jun 9, 2025 Tokyo" does not read "Tokyo" as a zone. */
function dateRegexes(rules: SplitRules): DateRegexes {
  let cached = regexCache.get(rules);
  if (!cached) {
    const zones = Object.keys(rules.timeZones).sort((a, b) => b.length - a.length).join('|');
    const zone = String.raw`(?:\s*\(?(?<zone>${zones})\)?(?!\p{L})|\s*(?<offset>(?:UTC|GMT)?[+-]\d{1,2}(?::?\d{2})?))?`;
    cached = {
      monthFirst: new RegExp(String.raw`${WEEKDAY}${MONTH}\s+(?<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?<year>\d{4})${TIME}${zone}`, 'iu'),
      dayFirst: new RegExp(String.raw`${WEEKDAY}(?<day>\d{1,2})(?:st|nd|rd|th)?\s+${MONTH},?\s+(?<year>\d{4})${TIME}${zone}`, 'iu'),
    };
    regexCache.set(rules, cached);
  }
  return cached;
}
const ISO = /(?<!\d)(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})(?:[T ](?<hour>\d{2}):(?<minute>\d{2})(?::(?<second>\d{2})(?:\.\d+)?)?\s*(?<offset>Z|[+-]\d{2}:?\d{2})?)?/u;

/** The instants a record can hold: ISO 8601 with a four-digit year, 0000-01-01 to 9999-12-31. */
const FIRST_MS = Date.UTC(-1, 11, 31, 24); // the end of year -1: Date.UTC reads years 0–99 as 1900–1999
const LAST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** `ms` as an ISO instant, or null when it is not a time or lies outside the four-digit years. */
function isoInstant(ms: number): string | null {
  return Number.isFinite(ms) && ms >= FIRST_MS && ms <= LAST_MS ? new Date(ms).toISOString() : null;
}

export interface FoundDate {
  iso: string;
  /** The words it was read from. */
  raw: string;
  /** Where in the searched text it was. */
  index: number;
}

function offsetMinutes(groups: Record<string, string | undefined>, rules: SplitRules): number | null {
  if (groups.offset) {
    const m = /([+-])(\d{1,2}):?(\d{2})?/.exec(groups.offset);
    if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
    return groups.offset === 'Z' ? 0 : null;
  }
  if (groups.zone) return rules.timeZones[groups.zone.toUpperCase()] ?? null;
  return null;
}

function toIso(g: Record<string, string | undefined>, monthIndex: number, rules: SplitRules): string | null {
  const year = Number(g.year);
  const day = Number(g.day);
  let hour = Number(g.hour ?? 0);
  const minute = Number(g.minute ?? 0);
  const second = Number(g.second ?? 0);
  if (g.ampm) {
    const pm = g.ampm.toLowerCase().startsWith('p');
    if (hour === 12) hour = pm ? 12 : 0;
    else if (pm) hour += 12;
  }
  if (monthIndex < 0 || monthIndex > 11 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  // A time without a zone is read as UTC: the raw words are kept, so a person can tell.
  const offset = offsetMinutes(g, rules) ?? 0;
  // setUTCFullYear, not Date.UTC: the year is the one written, also 0–99 (Date.UTC would make 25 into 1925).
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  if (date.getUTCMonth() !== monthIndex) return null; // Feb 30
  date.setUTCHours(hour, minute, second, 0);
  return isoInstant(date.getTime() - offset * 60_000);
}

/** The first absolute date in `text`, with the words it came from. */
export function findAbsoluteDate(text: string, rules: SplitRules): FoundDate | null {
  const candidates: FoundDate[] = [];
  const { monthFirst, dayFirst } = dateRegexes(rules);
  for (const re of [monthFirst, dayFirst]) {
    const m = re.exec(text);
    if (!m?.groups) continue;
    const monthKey = m.groups.month!.toLowerCase().slice(0, m.groups.month!.toLowerCase().startsWith('sept') ? 4 : 3);
    const iso = toIso(m.groups, MONTHS[monthKey] ?? -1, rules);
    if (iso) candidates.push({ iso, raw: m[0].trim(), index: m.index });
  }
  const iso = ISO.exec(text);
  if (iso?.groups) {
    const value = toIso(iso.groups, Number(iso.groups.month) - 1, rules);
    if (value) candidates.push({ iso: value, raw: iso[0].trim(), index: iso.index });
  }
  candidates.sort((a, b) => a.index - b.index);
  return candidates[0] ?? null;
}

/** A whole line that is only a date ("Jun 9, 2025", "June 9, 2025 16:54 JST"). */
export function dateLine(line: string, rules: SplitRules): FoundDate | null {
  const found = findAbsoluteDate(line, rules);
  if (!found) return null;
  const rest = line.replace(found.raw, '').replace(/^(?:published|updated|posted|on)\b:?/iu, '').trim();
  return rest.length <= 2 ? found : null;
}

/** "37 minutes ago", "an hour ago", "yesterday" → capture time minus that much. */
export function relativeTime(line: string, capturedAt: string, rules: SplitRules): Published | null {
  const text = line.trim().replace(/\s+/g, ' ');
  const key = text.toLowerCase().replace(/[.]$/, '');
  let ms: number | undefined = rules.relativeTime.words[key];
  if (ms === undefined) {
    const m = rules.relativeTimeRe.exec(text);
    if (!m?.groups) return null;
    const count = /^\d+$/.test(m.groups.count!) ? Number(m.groups.count) : 1;
    const unit = rules.unitMs.get(m.groups.unit!.toLowerCase());
    if (unit === undefined) return null;
    ms = count * unit;
  }
  const value = isoInstant(Date.parse(capturedAt) - ms);
  return value ? { value, method: 'relative', raw: text } : null;
}

/**
 * A record's own date field (ISO or a written date) as an ISO instant. Other forms (RFC 2822
 * and the like) are left to Date.parse, but not a date written in a form read above that
 * does not exist ("29 Feb 2001", "2025-13-45"): Date.parse would guess another day or year.
 */
export function parseGivenDate(value: string, rules: SplitRules): string | null {
  const found = findAbsoluteDate(value, rules);
  if (found) return found.iso;
  const { monthFirst, dayFirst } = dateRegexes(rules);
  if (monthFirst.test(value) || dayFirst.test(value) || ISO.test(value)) return null;
  return isoInstant(Date.parse(value));
}
