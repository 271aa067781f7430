"""iCalendar (RFC 5545) files of events, built with the icalendar package.

Times go out in the event's own zone (DTSTART;TZID=America/New_York:...) with the
VTIMEZONE that defines it, so a calendar app shows the right moment wherever it is, also
across a daylight-saving change, and keeps the event at its local time if the zone's
rules change. UID is stable per event; SEQUENCE grows when the time or place changes.
"""

from datetime import timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, vCalAddress
from icalendar import Event as CalendarEvent

from webapp.events.models import EventStatus
from webapp.events.rsvp.models import Answer
from webapp.web.public_url import absolute_url, base_url
from webapp.web.translating import gettext as _

PRODID = "-//Hearth//Events//EN"
# The VTIMEZONE rules written cover the events with this margin, not 1970 to 2038.
ZONE_MARGIN = timedelta(days=366)
STATUS = {
    EventStatus.PUBLISHED: "CONFIRMED",
    EventStatus.CANCELLED: "CANCELLED",
    EventStatus.DRAFT: "TENTATIVE",
}


def event_zone(event):
    try:
        return ZoneInfo(event.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def calendar_host():
    """The app's host name, the right-hand side of every UID (event-42@hearth.example.org)."""
    return urlsplit(base_url()).hostname or "hearth"


def event_uid(event):
    return f"event-{event.id}@{calendar_host()}"


def event_page_url(event):
    return absolute_url("events.detail", event_id=event.id, slug=event.slug)


def one_line(text):
    return " ".join((text or "").split())


def place_text(event):
    """The venue and address, as one line ('' for an event with no place)."""
    return ", ".join(one_line(part) for part in (event.venue, event.address) if part.strip())


def location_text(event, with_online_link=True):
    """Where, as one line: the venue and address, or when there is no place the online
    link (or only "Online", for a reader who is not to have the link)."""
    if place := place_text(event):
        return place
    if event.online_url and not with_online_link:
        # TRANSLATORS: where an online event is, when its link is kept for members.
        return _("Online")
    return one_line(event.online_url)


def description_text(event, page_url, with_online_link=True):
    """Plain text: the description as written (Markdown reads as text), the online link
    when the location names a place instead (or where to find it), and the event's page;
    our words in the language in force (the reader's)."""
    # Line ends as RFC 5545 escapes them: \n only (a stray \r would break the content line).
    parts = [event.description.replace("\r\n", "\n").replace("\r", "\n").strip()]
    if event.online_url and not with_online_link:
        # TRANSLATORS: a line of an event's description in a calendar app, for someone
        # who is not a member of its group.
        parts.append(_("Online: members of the group find the link on the event's page."))
    elif event.online_url and place_text(event):
        # TRANSLATORS: a line of an event's description in a calendar app.
        parts.append(_("Online: %(url)s", url=event.online_url))
    # TRANSLATORS: a line of an event's description in a calendar app.
    parts.append(_("Event page: %(url)s", url=page_url))
    return "\n\n".join(part for part in parts if part)


def calendar_event(event, sequence, answer=None, with_online_link=True):
    """The VEVENT of event; answer (in a person's feed) marks a waitlist place tentative.
    with_online_link: the reader may have the online link (a member, as the event's page
    shows it to members alone)."""
    zone = event_zone(event)
    page_url = event_page_url(event)
    status = STATUS[event.status]
    summary = one_line(event.title)
    if answer == Answer.WAITLISTED and status == "CONFIRMED":
        # TRANSLATORS: an event's title in a calendar app, for someone on its waitlist.
        status, summary = "TENTATIVE", _("%(title)s (waitlist)", title=summary)
    return CalendarEvent.new(
        uid=event_uid(event),
        summary=summary,
        start=event.starts_at.astimezone(zone),
        end=event.ends_at.astimezone(zone),
        # The last change, not the time of the download: the same event gives the same
        # file, which lets the feed answer 304 to a calendar app that has it already.
        stamp=event.updated_at,
        last_modified=event.updated_at,
        sequence=sequence,
        status=status,
        url=page_url,
        location=location_text(event, with_online_link) or None,
        description=description_text(event, page_url, with_online_link),
    )


def build_calendar(
    name, uid, entries, refresh=None, method="PUBLISH", people=None, with_online_link=True
):
    """A VCALENDAR of (event, sequence, answer) entries, with the time zones they use.
    people: (organizer, attendee) addresses given to each event, as iTIP (RFC 5546) wants
    in a message sent by email. with_online_link: as calendar_event's."""
    calendar = Calendar.new(prodid=PRODID, method=method, name=one_line(name), uid=uid)
    if refresh is not None:
        calendar.refresh_interval = refresh
        # What Outlook and Google read instead of RFC 7986's REFRESH-INTERVAL.
        calendar.add("X-PUBLISHED-TTL", refresh)
    for event, sequence, answer in entries:
        component = calendar_event(event, sequence, answer, with_online_link)
        if people is not None:
            organizer, attendee = people
            component.organizer = vCalAddress.new(organizer, cn=one_line(event.group.name))
            if attendee is not None:
                component.attendees = [vCalAddress.new(attendee)]
        calendar.add_component(component)
    events = [event for event, _sequence, _answer in entries]
    if events:
        calendar.add_missing_timezones(
            first_date=(min(e.starts_at for e in events) - ZONE_MARGIN).date(),
            last_date=(max(e.ends_at for e in events) + ZONE_MARGIN).date(),
        )
    return calendar.to_ical()


def event_calendar(event, sequence, with_online_link):
    """The .ics download of one event."""
    return build_calendar(
        event.title,
        f"calendar-event-{event.id}@{calendar_host()}",
        [(event, sequence, None)],
        with_online_link=with_online_link,
    )


# What a calendar app does with an event mailed to it. A cancellation is iTIP's CANCEL: the
# app removes the entry of that UID. A new time or place is PUBLISH, as the .ics download
# and the feed are, not REQUEST: REQUEST is an invitation, and Outlook, Apple Calendar,
# Thunderbird and Gmail answer it with Accept/Decline buttons whose replies nobody reads
# (answers are given on the event's page). PUBLISH with the same UID and a higher
# SEQUENCE updates the entry a person imported, with nothing to answer.
MAILED_METHODS = {EventStatus.CANCELLED: "CANCEL", EventStatus.PUBLISHED: "PUBLISH"}


def mailed_calendar(event, sequence, organizer, attendee):
    """(method, .ics text) of the event as an email to attendee tells calendars of it: its
    cancellation, or its new version. Same UID as the download and the feed."""
    method = MAILED_METHODS[event.status]
    body = build_calendar(
        event.title,
        f"calendar-event-{event.id}@{calendar_host()}",
        [(event, sequence, None)],
        method=method,
        # iTIP's CANCEL names the attendees it removes; PUBLISH names none.
        people=(organizer, attendee if method == "CANCEL" else None),
    )
    return method, body.decode()


def feed_calendar(user, entries):
    """A person's feed: the events they are going to or waiting for, in the language in
    force (the caller's choice: the person's)."""
    return build_calendar(
        # TRANSLATORS: the name of a person's calendar feed in their calendar app.
        _("Hearth: my events"),
        f"calendar-feed-{user.id}@{calendar_host()}",
        entries,
        refresh=timedelta(hours=1),
    )
