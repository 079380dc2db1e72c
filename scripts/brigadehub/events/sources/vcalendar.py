"""Read an iCalendar feed into its events' series, one component at a time when icalendar cannot read it whole."""

from __future__ import annotations

import re
from dataclasses import dataclass

import icalendar

from brigadehub.events.sources import Skip, SourceError, cleaned_id

LINE_BREAK = re.compile(r"\r\n|\r|\n")
BEGIN = re.compile(rb"(?im)^BEGIN:")
# Properties that make an event recur; a series that cannot be expanded is read again without them.
RECURRENCE = ("RRULE", "RDATE", "EXDATE")
KINDS = {"VEVENT": "event", "VTIMEZONE": "time zone"}


@dataclass
class Series:
    """The components of one event (a UID), with the calendar they came from; name is how a report calls it."""

    frame: icalendar.Calendar  # the calendar's own properties (X-WR-TIMEZONE…) and its VTIMEZONEs
    components: list[icalendar.Event]
    name: str

    @property
    def recurring(self) -> bool:
        return any(name in c for c in self.components for name in (*RECURRENCE, "RECURRENCE-ID"))

    def calendar(self, dropped: tuple[str, ...] = ()) -> icalendar.Calendar:
        """The series alone in a calendar of its own, without the properties dropped."""
        calendar = _frame_copy(self.frame)
        for component in self.components:
            alone = icalendar.Event()
            for name, value in component.items():
                if name not in dropped:
                    alone[name] = value
            calendar.add_component(alone)
        return calendar


def read_series(body: bytes, skipped: list[Skip]) -> list[Series]:
    """Every event series of the feed, in the feed's order; what cannot be read is added to skipped.

    A series is one UID's components (RFC 5545 3.8.4.7: a recurring event and its RECURRENCE-ID overrides share
    it), with the properties and time zones of the calendar it came from, so that each can be expanded alone.
    Raises SourceError when the feed is not a calendar at all.
    """
    series: list[Series] = []
    for top in read_components(body, skipped):
        frame = _frame_of(top)
        series += _group(frame, top.walk("VEVENT"), start=sum(len(s.components) for s in series))
    return series


def read_components(body: bytes, skipped: list[Skip]) -> list[icalendar.cal.Component]:
    """The feed's top-level components (VCALENDARs, or a bare VEVENT), read whole or else one by one."""
    try:
        components = icalendar.Calendar.from_ical(body, multiple=True)
        # icalendar drops a component that never ends, so a feed cut short may read as no calendar at all.
        failure: Exception = ValueError("no calendar that ends")
    except Exception as error:  # noqa: BLE001 - anything the parser meets in an untrusted feed
        components, failure = [], error
    if components:
        return components
    salvaged = salvage(body.decode("utf-8", errors="replace"), skipped) if BEGIN.search(body) else []
    if not salvaged:
        raise SourceError(f"malformed iCalendar ({type(failure).__name__}: {complaint(failure)}; "
                          f"{len(body):,} bytes)")
    return salvaged


def complaint(error: Exception) -> str:
    """The parser's complaint without the text it quotes: a feed's answer is never published (issue 9)."""
    text = str(error)
    words = re.split(r"[:'\"\[]", text, maxsplit=1)[0].strip()[:100]
    return f"{words} …" if len(words) < len(text.strip()) else words


# ---- reading a feed one component at a time ----


def salvage(text: str, skipped: list[Skip]) -> list[icalendar.cal.Component]:
    """The top-level components that can be read, each VCALENDAR rebuilt from its readable parts.

    For a feed icalendar refuses whole (a stray line, a broken time zone, a missing END:VCALENDAR): it is cut into
    its components as RFC 5545 3.1 and 3.4 lay them out, and each is read alone.
    """
    found = []
    loose, blocks = split_blocks(unfold(text))
    for block in blocks:
        if _name(block[0]) == "VCALENDAR":
            found.append(_rebuild(block, skipped))
        elif (component := _read_block(block, skipped)) is not None:
            found.append(component)
    return found


def unfold(text: str) -> list[str]:
    """The content lines of a text, folded lines joined (RFC 5545 3.1); blank lines dropped."""
    lines: list[str] = []
    for line in LINE_BREAK.split(text):
        if line[:1] in (" ", "\t") and lines:
            lines[-1] += line[1:]
        elif line.strip():
            lines.append(line)
    return lines


def split_blocks(lines: list[str]) -> tuple[list[str], list[list[str]]]:
    """The lines outside any component, and each outermost component's lines, BEGIN to END.

    A component left open ends where the text does; an END closes the innermost open component of its name and
    every component opened inside it.
    """
    loose: list[str] = []
    blocks: list[list[str]] = []
    open_names: list[str] = []
    for line in lines:
        upper = line.upper()
        if upper.startswith("BEGIN:"):
            open_names.append(_name(line))
            if len(open_names) == 1:
                blocks.append([])
        (blocks[-1] if open_names else loose).append(line)
        if upper.startswith("END:") and _name(line) in open_names:
            del open_names[len(open_names) - 1 - open_names[::-1].index(_name(line)):]
    return loose, blocks


def _name(line: str) -> str:
    return line.split(":", 1)[-1].strip().upper()


def _rebuild(block: list[str], skipped: list[Skip]) -> icalendar.Calendar:
    """A VCALENDAR from its readable property lines and its readable components."""
    ends = block[-1].upper().startswith("END:VCALENDAR")
    properties, components = split_blocks(block[1:-1] if ends else block[1:])
    calendar = icalendar.Calendar()
    for number, line in enumerate(properties, start=1):
        try:
            calendar.update(icalendar.Calendar.from_ical(f"BEGIN:VCALENDAR\r\n{line}\r\nEND:VCALENDAR\r\n"))
        except Exception:  # noqa: BLE001 - a line of an untrusted feed
            skipped.append(Skip(f"calendar property {number}", "could not be read"))
    for lines in components:
        component = _read_block(lines, skipped)
        if component is not None:
            calendar.add_component(component)
    if not ends:
        skipped.append(Skip("calendar", "has no END:VCALENDAR; it may have been cut short"))
    return calendar


def _read_block(lines: list[str], skipped: list[Skip]) -> icalendar.cal.Component | None:
    try:
        return icalendar.Component.from_ical("\r\n".join(lines) + "\r\n")
    except Exception as error:  # noqa: BLE001 - a component of an untrusted feed
        skipped.append(Skip(_describe(lines), f"could not be read ({type(error).__name__})"))
        return None


def _describe(lines: list[str]) -> str:
    """A component as a report names it: its kind, and its UID or TZID when it has one."""
    kind = KINDS.get(_name(lines[0]), _name(lines[0]))
    for line in lines[1:]:
        key = line.split(":", 1)[0].split(";", 1)[0].upper()
        if key in ("UID", "TZID") and ":" in line:
            return f"{kind} {cleaned_id(line.split(':', 1)[1].strip())!r}"
    return kind


# ---- series ----


def _frame_of(top: icalendar.cal.Component) -> icalendar.Calendar:
    """A calendar with the top component's own properties and time zones, when it is a VCALENDAR."""
    frame = icalendar.Calendar()
    if top.name == "VCALENDAR":
        frame.update(top)
        for zone in top.walk("VTIMEZONE"):
            frame.add_component(zone)
    return frame


def _frame_copy(frame: icalendar.Calendar) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.update(frame)
    for zone in frame.subcomponents:
        calendar.add_component(zone)
    return calendar


def _group(frame: icalendar.Calendar, events: list, start: int) -> list[Series]:
    """The events as series, one per UID, in the order each first appears; an event without a UID is alone."""
    by_uid: dict[str, Series] = {}
    for number, event in enumerate(events, start=start + 1):
        uid = str(event.get("UID") or "") if not isinstance(event.get("UID"), list) else ""
        key = uid or f"#{number}"
        name = f"event {cleaned_id(uid)!r}" if uid else f"event {number} (no UID)"
        by_uid.setdefault(key, Series(frame, [], name)).components.append(event)
    return list(by_uid.values())
