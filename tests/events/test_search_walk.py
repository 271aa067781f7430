"""A search for a common word walks the list first, with one plan for every word, and is
the same page as the statement planned for the word (webapp.web.listing.Listing's
walk_first)."""

from datetime import timedelta

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import insert_events, make_event
from tests.events.test_indexes import _reads_of_events, _scans_of_events
from tests.groups.factories import make_group
from tests.support.engine_events import listening
from tests.support.query_plans import explain_with_one_plan
from tests.test_database_round_trips import _anonymous
from webapp.events.listing import SEARCH_TEXT_STATS, visible_events
from webapp.events.queries import PAST, UPCOMING
from webapp.extensions import db
from webapp.web.pagination import WALK_FIRST_MARGIN, Page

pytestmark = pytest.mark.postgres

PER_PAGE = 20
# In the descriptions below: one event in four, one in ten, one in sixty.
COMMON, LESS_COMMON, RARE = "picnic", "ferry", "concert"


@pytest.fixture
def searchable(app, shared_world):
    """3,000 events of one public group, three hours apart, 500 of them past; analyzed,
    as autovacuum leaves a table, so that its statistics say how common each word is.
    Built once for the module's tests that read it (shared_world): the group's id."""
    return shared_world.get("searchable", lambda: _searchable(app))


def _searchable(app):
    with app.app_context():
        group = make_group(make_user(), name="Outings", slug="outings")
        insert_events(
            group.id,
            3_000,
            title="'Outing ' || n",
            description="concat_ws(' ', 'A day out, number tag' || n || '.',"
            " CASE WHEN n % 4 = 0 THEN 'Bring a picnic.' END,"
            " CASE WHEN n % 10 = 0 THEN 'We take the ferry.' END,"
            " CASE WHEN n % 60 = 0 THEN 'A concert after.' END)",
            apart="3 hours",
            past=500,
        )
        return group.id


def statements_of(run):
    """run()'s result, and the SQL statements it ran."""
    ran = []

    def capture(connection, cursor, statement, parameters, context, executemany):
        ran.append(statement)

    with listening(db.engine, "before_cursor_execute", capture):
        return run(), ran


def walked(statement):
    return "examined" in statement


def seen(page):
    """What a page shows and says of the pages around it."""
    return (
        [item.id for item in page.items],
        page.has_next,
        page.total,
        page.more,
        page.next_after,
        page.prev_before,
    )


def pages_of(listing, values):
    """Page 1, page 3 by number and page 2 by page 1's Next link."""
    first = Page(listing, 1, PER_PAGE, values)
    third = Page(listing, 3, PER_PAGE, values)
    after = listing.sort.parse_key(first.next_after) if first.next_after else None
    second = Page(listing, 2, PER_PAGE, values, after=after) if after else None
    return {1: first, 2: second, 3: third}


@pytest.mark.parametrize("when", [UPCOMING, PAST])
@pytest.mark.parametrize("word", [COMMON, LESS_COMMON])
def test_a_common_word_is_read_by_one_walk(app, searchable, when, word):
    """Page 1 and page 2 by Next each run one statement, the walk: not planned for the
    word."""
    with app.app_context():
        listing, values = visible_events(_anonymous(), word, when)
        SEARCH_TEXT_STATS.share_like(values["pattern"])  # read now, not counted below
        first, ran_first = statements_of(lambda: Page(listing, 1, PER_PAGE, values))
        after = listing.sort.parse_key(first.next_after)
        second, ran_second = statements_of(lambda: Page(listing, 2, PER_PAGE, values, after=after))
    assert len(first.items) == len(second.items) == PER_PAGE
    assert len(ran_first) == len(ran_second) == 1
    assert walked(ran_first[0]) and walked(ran_second[0])


@pytest.mark.parametrize("word", [RARE, "tag1234", "nowhere"])
def test_a_rare_word_is_planned_for_at_once(app, searchable, word):
    """Its trigram index finds it: a walk would read every event for it."""
    with app.app_context():
        listing, values = visible_events(_anonymous(), word)
        SEARCH_TEXT_STATS.share_like(values["pattern"])
        _, ran = statements_of(lambda: Page(listing, 1, PER_PAGE, values))
    assert len(ran) == 1
    assert not walked(ran[0])


@pytest.mark.parametrize("when", [UPCOMING, PAST])
@pytest.mark.parametrize("word", [COMMON, LESS_COMMON, RARE, "tag1234", "outing", "nowhere"])
def test_a_walked_page_is_the_planned_page(app, searchable, monkeypatch, when, word):
    """Whichever way a page is read, it is the same page: its events, its count and the
    keys its links name. Every word is walked first here, the rare ones too."""
    with app.app_context():
        listing, values = visible_events(_anonymous(), word, when)
        monkeypatch.setattr(listing, "walk_first", None)
        planned = pages_of(listing, values)
        monkeypatch.setattr(listing, "walk_first", lambda values: 1.0)
        walked_first = pages_of(listing, values)
    for number, page in planned.items():
        assert (page and seen(page)) == (walked_first[number] and seen(walked_first[number]))


def test_a_walk_that_falls_short_gives_way_to_the_planned_statement(app, searchable, monkeypatch):
    """A share that overstates the word (one in sixty, said to be all): the walk reads
    63 events, finds one, and the statement planned for the word reads the page."""
    with app.app_context():
        listing, values = visible_events(_anonymous(), RARE)
        monkeypatch.setattr(listing, "walk_first", lambda values: 1.0)
        page, ran = statements_of(lambda: Page(listing, 1, PER_PAGE, values))
    assert [walked(statement) for statement in ran] == [True, False]
    assert len(page.items) == PER_PAGE


def test_a_walk_that_reads_the_whole_list_is_the_page(app, monkeypatch):
    """Thirty events, eight with the word: the walk reads them all and is the answer,
    "Page 1 of 1", in one statement."""
    with app.app_context():
        group = make_group(make_user(), name="Few", slug="few")
        for number in range(30):
            description = "Bring a picnic." if number % 4 == 0 else "A walk."
            make_event(group, starts_in=timedelta(days=number + 1), description=description)
        listing, values = visible_events(_anonymous(), COMMON)
        monkeypatch.setattr(listing, "walk_first", lambda values: 1.0)
        page, ran = statements_of(lambda: Page(listing, 1, PER_PAGE, values))
    assert len(ran) == 1 and walked(ran[0])
    assert len(page.items) == 8
    assert (page.total, page.more, page.has_next) == (8, False, False)


@pytest.mark.parametrize("word", [COMMON, RARE])
def test_the_walk_has_one_plan_for_every_word(app, searchable, word):
    """Planned once for all words, the walk reads the listing index in order, as many
    events as it must to fill the page and no more than its margin: never the trigram
    index, which a plan for "picnic" through it read 750 events to sort."""
    with app.app_context():
        listing, values = visible_events(_anonymous(), word)
        examine = PER_PAGE * WALK_FIRST_MARGIN * 4
        page_values = values | {
            "page_offset": 0,
            "page_limit": PER_PAGE + 1,
            "walk_cap": PER_PAGE + 1,
            "examine_cap": examine,
        }
        plan = explain_with_one_plan(listing.rows_walked, page_values)
        db.session.rollback()
    scans = set(_scans_of_events(plan["Plan"]))
    # The spans' index finds where the walk starts: the earliest event under way.
    walked = {"ix_events_listed_by_start", "pk_events", "ix_events_under_way"}
    assert all(index in walked for _, index in scans), scans
    assert max(_reads_of_events(plan["Plan"])) <= examine
