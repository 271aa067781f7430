"""A series' page as a pasted link shows it: its rule in words, where, its group and the
start of its description, and on the open web its card (webapp.open_web.link_cards draws it
from series_card_words)."""

from webapp.events.calendar.ics import location_text
from webapp.events.series.queries import series_slug, series_words
from webapp.web import public_url
from webapp.web.previews import Preview, card_of, one_line
from webapp.web.translating import gettext as _

# How much of a series' description a pasted link's card shows.
PREVIEW_ABOUT = 160


def series_card_words(series):
    """(title, lines, footer) of the series' card: its rule in words, where, its group."""
    words, _end_words = series_words(series)
    where = location_text(series, with_online_link=False)
    return series.title, [words.rstrip("."), where], series.group.name


def series_preview(series, words):
    """What a pasted link to the series shows: its rule in words, where, its group, and
    the start of its description."""
    line = one_line(words.rstrip("."), series.venue or (_("Online") if series.online_url else ""))
    line = one_line(line, series.group.name)
    about = " ".join(series.description.split())
    if len(about) > PREVIEW_ABOUT:
        about = about[: PREVIEW_ABOUT - 1].rstrip() + "…"
    card = None
    if series.is_published and series.group.is_on_the_open_web:
        card = card_of("open_web.series_card", series_card_words(series), series_id=series.id)
    return Preview(
        title=series.title,
        description=f"{line}. {about}" if about else line,
        url=public_url.absolute_url(
            "events.series.detail", series_id=series.id, slug=series_slug(series)
        ),
        card=card,
    )
