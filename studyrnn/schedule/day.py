"""The study day: it starts at a local cutoff hour (default 04:00), not at UTC midnight, so a
late-night session counts for the day the learner thinks it is.

``tz`` is a ``tzinfo`` (tests pass a ``ZoneInfo``) or None for the machine's local time zone,
whose daylight-saving rules Python applies through ``astimezone()``. Every datetime that goes in
or comes out is aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo


@dataclass(frozen=True, slots=True)
class StudyDay:
    cutoff_hour: int = 4
    tz: tzinfo | None = None

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz) if self.tz is not None else moment.astimezone()

    def day_of(self, moment: datetime) -> date:
        """The study day ``moment`` belongs to."""
        return (self.local(moment) - timedelta(hours=self.cutoff_hour)).date()

    def start(self, day: date) -> datetime:
        """When ``day`` begins, in UTC."""
        naive = datetime.combine(day, time(self.cutoff_hour))
        if self.tz is not None:
            return naive.replace(tzinfo=self.tz).astimezone(UTC)
        return naive.astimezone().astimezone(UTC)  # a naive datetime is read as local time

    def end(self, day: date) -> datetime:
        """When ``day`` ends (the next day's start), in UTC."""
        return self.start(day + timedelta(days=1))

    def zone_name(self) -> str:
        """The zone's name as a learner would recognise it: the IANA key when there is one
        ("America/Los_Angeles"), else what the clock calls it, marked as the machine's."""
        if self.tz is None:
            return f"the machine's zone ({datetime.now().astimezone().tzname()})"
        key = getattr(self.tz, "key", None)
        return str(key) if key else str(self.tz)
