"""The pages `make bench` measures, in the order each rep loads them. A later feature adds
its rows here (an event's page, its RSVP panel...), pointing at rows its seeder wrote."""

import html
import re
from dataclasses import dataclass

from webapp.seed import BIG_GROUP_SLUG, MID_GROUP_SLUG, SEARCH_TERM, SMALL_GROUP_SLUG
from webapp.seed.events import BIG_EVENT_ID, BIG_EVENT_SLUG, EVENT_SEARCH_TERM
from webapp.seed.polls import BIG_POLL_ID
from webapp.seed.series import BIG_SERIES_ID, BIG_SERIES_SLUG, DATES_PER_SERIES

BIG_EVENT = f"/events/{BIG_EVENT_ID}-{BIG_EVENT_SLUG}"

LIVE_PART = re.compile(r'hx-get="([^"]+/live\?[^"]+)"')
NEXT_LINK = re.compile(r'href="([^"]+)" rel="next"')

STACK = "stack only"
BASELINE = "baseline"
BASELINE_LOGGED_IN = "baseline, logged in"
# The targets (issue 45), by processor time per request against the stack-only baseline
# in the same rounds: a page at 0.8 costs 1/0.8 of the stack's page.
EVENTS_AND_FRAGMENTS = 0.8


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    # Logged in as the seeded owner of the big group (webapp.seed.OWNER_EMAIL).
    logged_in: bool = False
    # Sent as htmx sends it: the fragment, not the page.
    htmx: bool = False
    # The status a working page answers (a live part with nothing new: 204).
    expect: int = 200
    # A live part's address is only known from a page: the hx-get of the live part in the
    # page at this path, read just before the page is probed (it holds the version shown).
    live_of: str = ""
    # A page reached as people reach it, by the Next link of the page at this path: that
    # link names the key the page follows (webapp.web.pagination). Where the page at next_of
    # is the last (at a small scale), there is no Next link, and path is loaded as typed.
    next_of: str = ""
    # Its stack-only ratio (by processor time per request) must reach this, or None.
    target: float | None = None

    def next_address(self, page_text):
        """The address the Next link in page_text (the page at next_of) leads to."""
        found = NEXT_LINK.search(page_text)
        return html.unescape(found.group(1)) if found else self.path

    def live_address(self, page_text):
        """The address the live part in page_text (the page at live_of) polls."""
        found = LIVE_PART.search(page_text)
        if found is None:
            raise ValueError(f"no live part in {self.live_of}")
        return html.unescape(found.group(1))

    @property
    def baseline(self):
        """Hearth's baseline row this page is also compared with: logged in or not alike."""
        return BASELINE_LOGGED_IN if self.logged_in else BASELINE


PAGES = [
    Page(STACK, "/_stack/"),
    Page(BASELINE, "/_bench/baseline"),
    Page(BASELINE_LOGGED_IN, "/_bench/baseline", logged_in=True),
    Page("/login", "/login"),
    Page("home, anonymous", "/"),
    Page("home, logged in", "/", logged_in=True, target=0.7),
    Page("/groups", "/groups", logged_in=True),
    Page("/groups?page=40", "/groups?page=40", logged_in=True),
    Page(
        f"/groups?q={SEARCH_TERM}",
        f"/groups?q={SEARCH_TERM}",
        logged_in=True,
        target=EVENTS_AND_FRAGMENTS,
    ),
    Page(
        f"/groups?q={SEARCH_TERM}, fragment",
        f"/groups?q={SEARCH_TERM}",
        logged_in=True,
        htmx=True,
        target=EVENTS_AND_FRAGMENTS,
    ),
    Page("small group (30 members)", f"/groups/{SMALL_GROUP_SLUG}", logged_in=True),
    Page("big group (30,000 x scale)", f"/groups/{BIG_GROUP_SLUG}", logged_in=True, target=0.7),
    Page("members, 3,000 x scale", f"/groups/{MID_GROUP_SLUG}/manage/members", logged_in=True),
    Page("members, 30,000 x scale", f"/groups/{BIG_GROUP_SLUG}/manage/members", logged_in=True),
    Page(
        "big event (200 going, 50 waiting, 500 comments)",
        BIG_EVENT,
        logged_in=True,
        target=EVENTS_AND_FRAGMENTS,
    ),
    Page("big event, anonymous (a shared link)", BIG_EVENT, target=EVENTS_AND_FRAGMENTS),
    Page(
        "big event's attendee list (100 names)",
        f"/events/{BIG_EVENT_ID}/attendees",
        logged_in=True,
        target=0.5,
    ),
    Page(
        "big event's RSVP panel, fragment",
        f"/events/{BIG_EVENT_ID}/rsvp",
        logged_in=True,
        htmx=True,
        target=EVENTS_AND_FRAGMENTS,
    ),
    Page(
        "big event's RSVP panel, live, nothing changed",
        "",
        logged_in=True,
        htmx=True,
        expect=204,
        live_of=f"/events/{BIG_EVENT_ID}/rsvp",
    ),
    Page(
        "big event's comments, page 10",
        f"/events/{BIG_EVENT_ID}/comments?page=10",
        logged_in=True,
    ),
    Page(
        "big event's comments, live, nothing changed",
        "",
        logged_in=True,
        htmx=True,
        expect=204,
        live_of=f"/events/{BIG_EVENT_ID}/comments",
    ),
    Page("/events", "/events", logged_in=True, target=EVENTS_AND_FRAGMENTS),
    Page("/events?page=200", "/events?page=200", logged_in=True, target=0.7),
    Page(
        "/events?page=200, by Next",
        "/events?page=200",
        logged_in=True,
        next_of="/events?page=199",
    ),
    Page(
        f"/events?q={EVENT_SEARCH_TERM}",
        f"/events?q={EVENT_SEARCH_TERM}",
        logged_in=True,
        target=EVENTS_AND_FRAGMENTS,
    ),
    Page(
        f"a series' page ({DATES_PER_SERIES} dates)",
        f"/series/{BIG_SERIES_ID}-{BIG_SERIES_SLUG}",
        logged_in=True,
    ),
    Page("big poll's page", f"/polls/{BIG_POLL_ID}", logged_in=True),
    Page(
        "big poll's results (3,000 votes x scale), fragment",
        f"/polls/{BIG_POLL_ID}/results",
        logged_in=True,
        htmx=True,
        target=EVENTS_AND_FRAGMENTS,
    ),
    Page(
        "big poll's results, live, nothing changed",
        "",
        logged_in=True,
        htmx=True,
        expect=204,
        live_of=f"/polls/{BIG_POLL_ID}/results",
    ),
]
