// Parse an iCalendar file with Mozilla's ical.js (Thunderbird's parser) and
// print, for each VEVENT, its UID, STATUS and start/end as UTC instants.
// Usage: node icaljs_check.mjs FILE   (prints JSON on stdout)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(join(root, "package.json"));
const ICAL = (await import(require.resolve("ical.js"))).default;

const text = readFileSync(process.argv[2], "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
}
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    status: component.getFirstPropertyValue("status"),
    sequence: event.sequence,
    tzid: event.startDate.zone ? event.startDate.zone.tzid : null,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
  };
});
console.log(
  JSON.stringify({
    name: calendar.getFirstPropertyValue("x-wr-calname"),
    timezones: calendar.getAllSubcomponents("vtimezone").length,
    events,
  }),
);
