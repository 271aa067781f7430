"""The feeds' documents: an iCalendar file (the events' own, as their .ics downloads are
written) and an Atom feed, written by the feedgen package, in the language in force."""

from datetime import timedelta

from feedgen.feed import FeedGenerator

from webapp.events.calendar.feeds import sequences_of
from webapp.events.calendar.ics import build_calendar, calendar_host, event_page_url, location_text
from webapp.events.times import span_text, zone_named
from webapp.open_web.public_events import ATOM_ENTRIES
from webapp.web.public_url import absolute_url
from webapp.web.translating import gettext as _

# What a subscribed calendar is told: ask again after this long.
CALENDAR_REFRESH = timedelta(hours=1)


def calendar_document(name, scope, events):
    """The .ics of events, named name; scope makes its UID (the site's, or a group's)."""
    sequences = sequences_of(events)
    entries = [(event, sequences[event.id], None) for event in events]
    # The online link is for members (as the event's page shows it): never in a public feed.
    return build_calendar(
        name,
        f"calendar-{scope}@{calendar_host()}",
        entries,
        refresh=CALENDAR_REFRESH,
        with_online_link=False,
    )


def _when_and_where(event):
    zone = zone_named(event.time_zone)
    where = location_text(event, with_online_link=False)
    parts = [span_text(event.starts_at, event.ends_at, zone), where]
    return " · ".join(part for part in parts if part)


def atom_document(title, feed_url, page_url, language, events, announcements, updated):
    """The Atom feed at feed_url, about the page at page_url: events as they were
    published and public announcements as they went, newest first, ATOM_ENTRIES at most."""
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(title)
    feed.link(href=page_url, rel="alternate", type="text/html")
    feed.link(href=feed_url, rel="self", type="application/atom+xml")
    feed.language(language)
    feed.icon(absolute_url("static", filename="img/icon-512.png"))
    feed.generator("Hearth")
    feed.updated(updated)
    entries = [(event.published_at or event.created_at, _event_entry, event) for event in events]
    entries += [(said.sent_at or said.send_at, _announcement_entry, said) for said in announcements]
    entries.sort(key=lambda entry: entry[0], reverse=True)
    for published, write, shown in entries[:ATOM_ENTRIES]:
        entry = feed.add_entry(order="append")
        entry.published(published)
        entry.author(
            name=shown.group.name, uri=absolute_url("groups.detail", slug=shown.group.slug)
        )
        write(entry, shown)
    return feed.atom_str()


def _event_entry(entry, event):
    url = event_page_url(event)
    entry.id(url)
    entry.link(href=url, rel="alternate", type="text/html")
    entry.title(
        # TRANSLATORS: the title of a cancelled event in a feed reader.
        _("Cancelled: %(title)s", title=event.title) if event.is_cancelled else event.title
    )
    entry.updated(event.updated_at)
    entry.summary(_when_and_where(event))
    if event.description_html:
        entry.content(event.description_html, type="html")


def _announcement_entry(entry, announcement):
    url = absolute_url("announcements.detail", announcement_id=announcement.id)
    entry.id(url)
    entry.link(href=url, rel="alternate", type="text/html")
    entry.title(announcement.subject)
    # Once gone, an announcement no longer changes.
    entry.updated(announcement.sent_at or announcement.send_at)
    entry.content(announcement.body_html, type="html")
