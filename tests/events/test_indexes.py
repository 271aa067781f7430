"""The event lists' queries match their indexes on PostgreSQL: search by trigram, the
upcoming list by start, a group's drafts by their own partial index."""

import hashlib

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import insert_events
from tests.groups.factories import make_group
from tests.support.engine_events import listening
from tests.support.query_plans import explain_with_one_plan
from tests.test_database_round_trips import _anonymous
from webapp.accounts.models import User
from webapp.database.setup import ONE_PLAN
from webapp.database.times import utcnow
from webapp.events.listing import SEARCH_TEXT_STATS, visible_events
from webapp.events.models import Event, EventStatus
from webapp.events.queries import MEMBER, PAST, UPCOMING, VISITOR, _home_events
from webapp.events.services import MAX_DURATION
from webapp.extensions import db
from webapp.groups.models import Group, Membership
from webapp.web.listing import LOOKAHEAD_PAGES
from webapp.web.pagination import Page

pytestmark = pytest.mark.postgres


def explain(statement, values=None, without_indexes=()):
    """As tests.test_database_round_trips.explain, with IN lists expanded (statuses) and
    values for the statement's bind parameters."""
    connection = db.session.connection()
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    for name in without_indexes:
        connection.exec_driver_sql(f"DROP INDEX {name}")
    expanded = statement.compile(connection).construct_expanded_state(values or {})
    rows = connection.exec_driver_sql("EXPLAIN " + expanded.statement, expanded.parameters)
    plan = "\n".join(row[0] for row in rows)
    db.session.rollback()
    return plan


VIEWERS = ("member", "admin")


@pytest.fixture
def many_events(app, shared_world):
    """20,000 events of one public group, one in ten a draft, from a year ago to a year on;
    and a user who is no member of it, and a site admin (_viewer). Built once for the
    module's tests, which only read (shared_world): the group's id."""
    return shared_world.get("many_events", lambda: _many_events(app))


def _many_events(app):
    with app.app_context():
        group = make_group(make_user(), name="Busy", slug="busy")
        for kind in VIEWERS:
            make_user(email=f"{kind}@example.org", is_site_admin=kind == "admin")
        insert_events(
            group.id,
            20_000,
            title="'Event ' || md5(n::text)",
            description="'About ' || md5((-n)::text)",
            apart="40 minutes",
            past=10_000,
            status="CASE WHEN n % 10 = 0 THEN 'draft' ELSE 'published' END",
        )
        return group.id


def test_search_uses_the_trigram_indexes(app, many_events):
    with app.app_context():
        needle = hashlib.md5(b"29").hexdigest()[3:11]  # noqa: S324  (test data, not security)
        listing, values = visible_events(_anonymous(), needle)
        # Whether the trigram indexes fit, not which path is cheapest on one group's
        # 20,000 rows: the b-trees that compete are dropped (inside the rolled-back
        # transaction).
        competing = ["ix_events_listed_by_start", "ix_events_group_live_by_start"]
        plan = explain(listing.statement.order_by(None), values, without_indexes=competing)
    assert "ix_events_search_trgm" in plan, plan


@pytest.mark.parametrize("when", [UPCOMING, PAST])
def test_a_search_matches_text_only_of_events_in_its_time_span(app, many_events, when):
    """Half the events here are past: the upcoming list's count once matched the text of
    each before its time span turned it away. PostgreSQL tests a row's filters in the
    order they are written when they cost it alike, as these do."""
    with app.app_context():
        listing, values = visible_events(_anonymous(), "about", when)
        plan = explain(listing.count, {**values, "count_cap": 201})
    filters = [line for line in plan.splitlines() if "search_text ~~" in line]
    assert filters, plan
    for line in filters:
        assert line.index("ends_at") < line.index("search_text ~~"), plan


def home_page_plan(app, viewer="visitor"):
    """EXPLAIN ANALYZE of the home page's statement for a visitor, or for a member of every
    group, line by line: with the one plan it keeps for all values, made as for a table
    too big to read whole."""
    with app.app_context():
        now = utcnow()
        values = {"now": now, "since": now - MAX_DURATION, "limit": 5}
        if viewer == "member":
            values["user_id"] = _member_of_every_group()
        statement = _home_events(MEMBER if viewer == "member" else VISITOR, True)
        assert statement.get_execution_options().get(ONE_PLAN)
        db.session.connection().exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = explain_with_one_plan(statement, values, "ANALYZE, COSTS OFF")
        db.session.rollback()
    return plan


def _member_of_every_group():
    """many_events's member, in every group until the transaction is rolled back: their id."""
    user = _viewer("member")
    for group_id in db.session.scalars(sa.select(Group.id)):
        db.session.add(Membership(group_id=group_id, user_id=user.id))
    db.session.flush()
    return user.id


@pytest.mark.parametrize("viewer", ["visitor", "member"])
def test_the_home_page_reads_no_event_that_is_over(app, many_events, viewer):
    """The month before now holds about 1,100 events already over here: the walk for the
    page's keys starts after them, in the listing index alone, and reads only the rows
    it shows, with the one plan the statement keeps for every visitor or member."""
    plan = home_page_plan(app, viewer)
    assert not [line for line in plan if "Index Scan using ix_events_listed" in line], plan
    walks = [i for i, line in enumerate(plan) if "Index Only Scan using ix_events_listed" in line]
    assert walks, plan
    for start in walks:
        node = plan[start : start + 4]
        removed = [int(line.split(":")[1]) for line in node if "Rows Removed by Filter" in line]
        assert all(count < 10 for count in removed), "\n".join(plan)


def test_the_upcoming_list_walks_the_start_index(app, many_events):
    with app.app_context():
        listing, values = visible_events(_anonymous(), "", UPCOMING)
        plan = explain(listing.statement.limit(21), values)
    assert "ix_events_listed_by_start" in plan or "ix_events_group_live_by_start" in plan, plan


@pytest.mark.parametrize("viewer", ["visitor", "member"])
def test_a_pages_keys_are_found_in_the_listing_index_alone(app, many_events, viewer):
    """Page 200 walks 4,000 entries before its own: in the index, without reading an
    event's row or its group's (the join to groups did both for every entry)."""
    with app.app_context():
        user = _viewer(viewer)
        listing, values = visible_events(user, "", UPCOMING)
        keys = listing.statement.with_only_columns(Event.id)
        plan = explain(keys.offset(3980).limit(21), values)
    assert "Index Only Scan using ix_events_listed_by_start" in plan, plan
    assert " on groups" not in plan, plan


def test_a_groups_drafts_have_their_own_index(app, many_events):
    with app.app_context():
        statement = (
            sa.select(Event.id)
            .where(
                Event.group_id == many_events,
                Event.deleted_at.is_(None),
                Event.status == EventStatus.DRAFT,
            )
            .order_by(Event.starts_at, Event.id)
            .limit(5)
        )
        plan = explain(statement)
    assert "ix_events_group_drafts" in plan, plan


def _reads_of_events(node):
    """How many rows of events (or entries of its indexes) each plan node under node
    returned that reads the table (EXPLAIN ANALYZE's JSON), by whatever path."""
    if node.get("Relation Name") == "events":
        yield node["Actual Rows"] * node["Actual Loops"]
    for child in node.get("Plans", []):
        yield from _reads_of_events(child)


# many_events starts one every 40 minutes.
EVENTS_A_WEEK = 7 * 24 * 60 // 40
# Page 200 of twenty events each, and the cap of its count, ten pages on.
OFFSET, PER_PAGE = 3980, 20
CAP = OFFSET + PER_PAGE * LOOKAHEAD_PAGES + 1


def page_200_values(values):
    """values with page 200's bind parameters (as pagination.Page sets them)."""
    return values | {
        "page_offset": OFFSET,
        "page_limit": PER_PAGE + 1,
        "count_cap": CAP,
        "walk_cap": CAP - OFFSET,
    }


def explain_analyze(statement, values):
    """EXPLAIN ANALYZE's plan of statement with values, as JSON."""
    connection = db.session.connection()
    expanded = statement.compile(connection).construct_expanded_state(values)
    result = connection.exec_driver_sql(
        "EXPLAIN (ANALYZE, FORMAT JSON) " + expanded.statement, expanded.parameters
    )
    (plan,) = result.scalar()
    return plan


@pytest.mark.parametrize("when", [UPCOMING, PAST])
def test_a_page_far_in_walks_the_entries_before_it_once(app, many_events, when):
    """Page 200 finds its keys past 3,980 entries of the listing index, and its count
    ten pages on, in one walk. Counted from the first row of the list apart from the
    keys, the count walked those 3,980 entries a second time."""
    with app.app_context():
        listing, values = visible_events(_anonymous(), "", when)
        values = page_200_values(values)
        plan = explain_analyze(listing.rows, values)
        rows = db.session.execute(listing.rows, values).all()
        db.session.rollback()
    assert len(rows) == PER_PAGE + 1
    assert rows[0][-1] == CAP  # the count: ten pages past this one exist
    walks = [read for read in _reads_of_events(plan["Plan"]) if read >= OFFSET]
    assert len(walks) == 1, walks


def explain_what_runs(run):
    """run()'s result, and EXPLAIN ANALYZE's plan (JSON) of the one statement it ran."""
    ran = []

    def capture(connection, cursor, statement, parameters, context, executemany):
        ran.append((statement, parameters))

    with listening(db.engine, "before_cursor_execute", capture):
        result = run()
    ((statement, parameters),) = ran
    explained = db.session.connection().exec_driver_sql(
        "EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters
    )
    (plan,) = explained.scalar()
    return result, plan


@pytest.mark.parametrize("when", [UPCOMING, PAST])
def test_a_search_reads_no_match_past_the_next_page(app, many_events, when):
    """Every match a search counts is an event's text read and matched: a page of a
    search that every event matches reads its twenty events and the one after, by
    number or by its Next link, in one walk. Counted apart ten pages on, it read 201."""
    with app.app_context():
        listing, values = visible_events(_anonymous(), "about", when)
        SEARCH_TEXT_STATS.share_like(values["pattern"])  # read now, not explained below
        first, first_plan = explain_what_runs(lambda: Page(listing, 1, PER_PAGE, values))
        after = listing.sort.parse_key(first.next_after)
        second, second_plan = explain_what_runs(
            lambda: Page(listing, 2, PER_PAGE, values, after=after)
        )
        db.session.rollback()
    assert len(first.items) == len(second.items) == PER_PAGE
    assert first.more and second.more
    for plan in (first_plan, second_plan):
        reads = list(_reads_of_events(plan["Plan"]))
        assert max(reads) <= PER_PAGE + 1, reads


@pytest.mark.parametrize("when", [UPCOMING, PAST])
def test_a_page_reached_by_next_walks_on_from_its_key(app, many_events, when):
    """Page 200 by its Next link (the key of page 199's last event) walks from that key
    to the count's cap: about as many entries as page 1 does, not the 3,980 before it."""
    with app.app_context():
        listing, values = visible_events(_anonymous(), "", when)
        values = page_200_values(values)
        by_number = db.session.execute(listing.rows, values).all()
        page_199 = db.session.execute(listing.rows, values | {"page_offset": OFFSET - PER_PAGE})
        last_shown = page_199.all()[PER_PAGE - 1][0]
        values |= listing.sort.parse_key(listing.sort.key_text(last_shown))
        plan = explain_analyze(listing.rows_after, values)
        by_key = db.session.execute(listing.rows_after, values).all()
        db.session.rollback()
    assert by_key == by_number
    assert by_key[0][-1] == CAP
    reads = list(_reads_of_events(plan["Plan"]))
    assert max(reads) <= 2 * (CAP - OFFSET), reads


@pytest.mark.parametrize("when", [UPCOMING, PAST])
def test_a_page_reached_by_previous_walks_back_from_its_key(app, many_events, when):
    """Page 200 by its Previous link (the key of page 201's first event) walks back a
    page from that key, and on from it to the count's cap: not the entries before."""
    with app.app_context():
        listing, values = visible_events(_anonymous(), "", when)
        values = page_200_values(values)
        by_number = db.session.execute(listing.rows, values).all()
        page_201 = db.session.execute(listing.rows, values | {"page_offset": OFFSET + PER_PAGE})
        values |= listing.sort.parse_key(listing.sort.key_text(page_201.first()[0]))
        values |= {"back_limit": PER_PAGE, "ahead_cap": CAP - OFFSET - PER_PAGE}
        plan = explain_analyze(listing.rows_before, values)
        by_key = db.session.execute(listing.rows_before, values).all()
        db.session.rollback()
    # Each row also says how many rows the page found before the key: a whole page.
    assert [row[:-2] + row[-1:] for row in by_key] == by_number
    assert {row[-2] for row in by_key} == {PER_PAGE}
    reads = list(_reads_of_events(plan["Plan"]))
    assert max(reads) <= 2 * (CAP - OFFSET), reads


def _viewer(kind):
    """A visitor, a logged-in user ("member") or a site admin: many_events's."""
    if kind == "visitor":
        return _anonymous()
    assert kind in VIEWERS
    return db.session.scalar(sa.select(User).where(User.email == f"{kind}@example.org"))


def _scans_of_events(node):
    if node.get("Relation Name") == "events":
        index = node.get("Index Name")
        if node["Node Type"] == "Bitmap Heap Scan":
            index = node["Plans"][0].get("Index Name")  # its bitmap's
        yield node["Node Type"], index
    for child in node.get("Plans", []):
        yield from _scans_of_events(child)


@pytest.mark.parametrize("when", [UPCOMING, PAST])
@pytest.mark.parametrize("viewer", ["visitor", "member", "admin"])
def test_the_list_of_events_has_one_plan_for_every_page(app, many_events, viewer, when):
    """/events keeps one plan of each page's statement for all values (Listing's
    one_plan): with it, page 1, page 200 by number, by Next and by Previous (and of the
    upcoming list, page 200 from its week, which also counts the events under way by
    the index of their spans) each walk the listing index alone, no further
    than the page's own walk. With the statuses sent as
    values, that plan could not see that the partial index held them, and read every
    event (25,000 rows at 10x, 53 ms); with the listings sent as values, it guessed one
    row here (every event is public) and scanned the table."""
    with app.app_context():
        user = _viewer(viewer)
        listing, values = visible_events(user, "", when)
        page_1 = values | page_200_values({}) | {"page_offset": 0, "walk_cap": CAP - OFFSET}
        page_200 = page_200_values(values)
        page_199 = db.session.execute(listing.rows, page_200 | {"page_offset": OFFSET - PER_PAGE})
        page_201 = db.session.execute(listing.rows, page_200 | {"page_offset": OFFSET + PER_PAGE})
        after = listing.sort.parse_key(listing.sort.key_text(page_199.all()[PER_PAGE - 1][0]))
        before = listing.sort.parse_key(listing.sort.key_text(page_201.first()[0]))
        back = {"back_limit": PER_PAGE, "ahead_cap": CAP - OFFSET - PER_PAGE}
        pages = {
            "page 1": (listing.rows, page_1, CAP - OFFSET),
            "page 200": (listing.rows, page_200, CAP),
            "by Next": (listing.rows_after, page_200 | after, CAP - OFFSET),
            "by Previous": (listing.rows_before, page_200 | before | back, CAP - OFFSET),
        }
        if when == UPCOMING:
            # From the week its first event is in: no further than that week's events
            # and its own walk (the events counted before the next week are the week's).
            pages["page 200 from its week"] = (
                listing.rows_anchored,
                page_200,
                CAP - OFFSET + EVENTS_A_WEEK,
            )
        for name, (statement, page_values, walked) in pages.items():
            assert statement.get_execution_options().get(ONE_PLAN), name
            plan = explain_with_one_plan(statement, page_values)
            scans = list(_scans_of_events(plan["Plan"]))
            walks = [scan for scan in scans if scan[0] != "Index Scan"]  # the rows shown
            assert walks, (name, scans)
            expected = {("Index Only Scan", "ix_events_listed_by_start")}
            if when == UPCOMING:
                # Where the walk starts: the earliest start of the events under way, found
                # by the index of their spans (and, from its week, those counted there).
                expected.add(("Bitmap Heap Scan", "ix_events_under_way"))
            assert set(walks) == expected, (name, scans)
            reads = list(_reads_of_events(plan["Plan"]))
            assert max(reads) <= walked, (name, reads)
        db.session.rollback()


def _entries_passed(node):
    """As _reads_of_events, with the entries each node turned away by its filter too."""
    if node.get("Relation Name") == "events":
        passed = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
        yield passed * node["Actual Loops"]
    for child in node.get("Plans", []):
        yield from _entries_passed(child)


@pytest.mark.parametrize("viewer", ["visitor", "member", "admin"])
def test_a_page_typed_far_in_passes_no_event_already_over(app, many_events, viewer):
    """Page 200 of the upcoming list, from its week, counts the events before next week
    without passing the month of events already over (about 1,100 here, 800 at 10x):
    those under way come from the index of their spans. Walked from the list's top, a
    month ago, the count passed every one of them."""
    with app.app_context():
        user = _viewer(viewer)
        listing, values = visible_events(user, "", UPCOMING)
        values = page_200_values(values)
        plan = explain_with_one_plan(listing.rows_anchored, values)
        rows = db.session.execute(listing.rows_anchored, values).all()
        walked = db.session.execute(listing.rows, values).all()
        db.session.rollback()
    assert rows == walked
    passed = list(_entries_passed(plan["Plan"]))
    # The page's own walk from its week is the longest: its week's events and the page's.
    assert max(passed) <= CAP - OFFSET + EVENTS_A_WEEK, passed


@pytest.mark.parametrize("viewer", ["visitor", "member", "admin"])
def test_the_first_page_passes_no_event_already_over(app, many_events, viewer):
    """Page 1 of the upcoming list, its rows and its count, starts its walk at the earliest
    event under way (found by the index of their spans), not a month ago: the month's
    events already over (about 1,100 here; where weekly series meet, tens of thousands)
    are not passed one by one."""
    with app.app_context():
        listing, values = visible_events(_viewer(viewer), "", UPCOMING)
        page_1 = values | page_200_values({}) | {"page_offset": 0, "walk_cap": CAP - OFFSET}
        plan = explain_with_one_plan(listing.rows, page_1)
        db.session.rollback()
    passed = list(_entries_passed(plan["Plan"]))
    # The walk from the event under way now: the page and the count's cap, no more.
    assert max(passed) <= CAP - OFFSET + 2, passed


def test_the_home_page_reads_only_the_rows_it_shows_after_hours_of_short_events(app):
    """An evening of short events, all over, after a long one that is still under way
    (where weekly series meet, hundreds an hour): the page's walk starts at the long
    one and turns the short ones away in the listing index; it reads five event rows."""
    with app.app_context():
        group = make_group(make_user(), name="Evenings", slug="evenings")
        insert_events(group.id, 1, "'Long day'", "''", apart="10 hours", past=2)
        db.session.execute(
            sa.text("UPDATE events SET ends_at = now() + interval '2 hours'"),
        )
        db.session.commit()
        # 360 events of two hours, two minutes apart, from ten hours ago: 300 are over.
        insert_events(group.id, 360, "'Short ' || n", "''", apart="2 minutes", past=300)
    plan = home_page_plan(app)
    rows_read = [
        int(line.split("rows=")[1].split()[0])
        for line in plan
        if "Index Scan using pk_events" in line
    ]
    assert rows_read == [1] * len(rows_read) and len(rows_read) <= 5, "\n".join(plan)
    assert not [line for line in plan if "Index Scan using ix_events_listed" in line], plan
