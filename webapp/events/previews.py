"""An event's page as link previews and search engines read it: the card a chat app
shows (webapp.web.previews) and schema.org Event JSON-LD, as Google's event results ask
for it (name, start and end with their offsets, place or online, organiser, status, a
free offer whose availability follows the places left)."""

from urllib.parse import urlsplit

from flask import render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from webapp.events.calendar.ics import location_text
from webapp.events.models import LISTED_STATUSES
from webapp.events.times import span_text
from webapp.groups.summary import summary_of
from webapp.web import public_url
from webapp.web.kept import KeptValues
from webapp.web.previews import Preview, card_of, one_line
from webapp.web.translating import gettext as _

SCHEMA = "https://schema.org/"


def _place(event):
    return event.venue or (_("Online") if event.online_url else "")


def events_list_preview():
    """What a pasted link to the events list shows: its card's words, and the card."""
    words = events_list_card_words()
    title, (description,), _site = words
    return Preview(
        title=title,
        description=description,
        url=public_url.absolute_url("events.index"),
        card=card_of("open_web.events_card", words),
    )


def events_list_card_words():
    """(title, lines, footer) of the events list's card: what it is, and the site's
    address."""
    return (
        _("Events"),
        [_("Coming events of the groups on Hearth, to answer in one tap.")],
        urlsplit(public_url.base_url()).netloc,
    )


def event_card_words(event):
    """(title, lines, footer) of the event's card: when (and whether it is cancelled),
    where, its group."""
    when = span_text(event.starts_at, event.ends_at, event.zone)
    if event.is_cancelled:
        when = one_line(_("Cancelled"), when)
    return event.title, [when, location_text(event, with_online_link=False)], event.group.name


def _card(event):
    """Its card, when the open web shows the event."""
    if event.status not in LISTED_STATUSES or event.deleted_at is not None:
        return None
    if not event.group.is_on_the_open_web:
        return None
    return card_of("open_web.event_card", event_card_words(event), event_id=event.id)


def event_preview(event):
    """When and where, the group, and the start of the description."""
    line = one_line(span_text(event.starts_at, event.ends_at, event.zone), _place(event))
    line = one_line(line, event.group.name)
    if event.is_cancelled:
        line = one_line(_("Cancelled"), line)
    summary = summary_of(event.description_html)
    return Preview(
        title=event.title,
        description=f"{line}. {summary}" if summary else line,
        url=_page_url(event),
        kind="article",
        card=_card(event),
    )


def _page_url(event):
    return public_url.absolute_url("events.detail", event_id=event.id, slug=event.slug)


def _local(moment, event):
    """The moment on the event's clocks, with their offset: what Google reads as the time
    people come, and the instant too."""
    return moment.astimezone(event.zone).isoformat(timespec="seconds")


def event_json_ld(event, preview):
    """The schema.org Event for event's page (a dict, for tojson), its picture the
    preview's."""
    url = _page_url(event)
    places = []
    if event.venue or event.address:
        place = {"@type": "Place", "name": event.venue or event.address}
        if event.address:
            place["address"] = event.address
        places.append(place)
    if event.online_url:
        # The call's own address is for members (the page shows it to them): the page's.
        places.append({"@type": "VirtualLocation", "url": url})
    if places and len(places) > 1:
        mode = "MixedEventAttendanceMode"
    elif places and places[0]["@type"] == "VirtualLocation":
        mode = "OnlineEventAttendanceMode"
    else:
        mode = "OfflineEventAttendanceMode"
    left = event.places_left
    found = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": url,
        "startDate": _local(event.starts_at, event),
        "endDate": _local(event.ends_at, event),
        "eventStatus": SCHEMA + ("EventCancelled" if event.is_cancelled else "EventScheduled"),
        "eventAttendanceMode": SCHEMA + mode,
        "image": [preview.image],
        "organizer": {
            "@type": "Organization",
            "name": event.group.name,
            "url": public_url.absolute_url("groups.detail", slug=event.group.slug),
        },
        "isAccessibleForFree": True,
        "offers": {
            "@type": "Offer",
            "price": "0",
            "url": url,
            "availability": SCHEMA + ("SoldOut" if left == 0 else "InStock"),
        },
    }
    if places:
        found["location"] = places[0] if len(places) == 1 else places
    if summary := summary_of(event.description_html):
        found["description"] = summary
    return found


# Heads kept: a few kilobytes each, a few hundred events' worth.
_heads = KeptValues(512)


def head_html(event):
    """The preview's tags and the JSON-LD for event's page, rendered once for what they
    show (its fields as its organisers last changed them, its group's name, whether a
    place is left) and the request's address and language, as cards are: the event's
    page is the busiest, and this is the same for every viewer."""
    key = (
        event.id,
        event.updated_at,
        event.status,
        event.group.name,
        event.group.slug,
        # Whether the open web shows it, and so whether it has a card.
        event.group.is_on_the_open_web,
        event.deleted_at is not None,
        event.places_left == 0,
        public_url.base_url(),
        request.script_root,
        str(get_locale()),
    )
    return _heads.get(key, lambda: _render_head(event))


def _render_head(event):
    preview = event_preview(event)
    html = render_template(
        "events/_head.html", preview=preview, json_ld=event_json_ld(event, preview)
    )
    # Our template's output, every value in it escaped as it was rendered.
    # nosemgrep: markup-of-a-variable
    return Markup(html)  # noqa: S704  # nosec B704
