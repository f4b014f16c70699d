"""The feeds' VTIMEZONE agrees with zoneinfo on every transition for years
ahead, so times are right on both sides of each daylight-saving change."""

import datetime
import zoneinfo

from icalendar import Calendar

from courses import ical

ROME = zoneinfo.ZoneInfo("Europe/Rome")


def test_vtimezone_rules_match_zoneinfo_for_decades():
    cal = Calendar.from_ical(ical.calendar([]).to_ical())
    (vtimezone,) = cal.walk("VTIMEZONE")
    tz = vtimezone.to_tz()
    hour = datetime.timedelta(hours=1)
    for year in range(2024, 2061):
        for month in (1, 3, 7, 10, 12):
            # Hour by hour over the last week of the month (the changes).
            instant = datetime.datetime(year, month, 24, tzinfo=datetime.UTC)
            for _step in range(8 * 24):
                ours = instant.astimezone(tz).utcoffset()
                assert ours == instant.astimezone(ROME).utcoffset(), instant
                instant += hour


def test_ambiguous_times_are_written_in_utc_and_others_in_rome_time():
    for hours in (0, 1):
        instant = datetime.datetime(2027, 10, 31, hours, 30, tzinfo=datetime.UTC)
        assert ical.event_time(instant).tzinfo is datetime.UTC
    summer = datetime.datetime(2027, 7, 1, 7, tzinfo=datetime.UTC)
    assert ical.event_time(summer).tzinfo is ical.TZ
    assert ical.event_time(summer).hour == 9
