"""What a digest tells, and what it leaves out: each section from the person's own groups
and answers, nothing they did already (voted, read, done), nothing of a group they left out
or are not in, and each item once across digests."""

from datetime import timedelta

from tests.accounts.factories import make_user
from tests.announcements.factories import make_announcement
from tests.digest.conftest import EIGHT_AM, MONDAY
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.polls.factories import make_poll, option_ids
from tests.tasks.factories import make_task
from webapp.accounts.models import User
from webapp.announcements.models import AnnouncementDelivery, AnnouncementRead, Delivery
from webapp.digest.models import DigestGroupLeftOut, DigestSetting, Frequency
from webapp.digest.sending import write_digest
from webapp.events.models import EventStatus
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.polls.models import PollChoice, Vote

NOW = EIGHT_AM["madrid"] + timedelta(minutes=5)


def rsvp(event, user, answer, ticket=None):
    db.session.add(Rsvp(event_id=event.id, user_id=user.id, answer=answer, waitlist_ticket=ticket))


def build(app, world):
    """Madrid's digest material, with its look-alikes that must not show."""
    with app.app_context():
        madrid = db.session.get(User, world.people["madrid"])
        walkers = db.session.get(Group, world.group_id)
        owner = db.session.get(User, world.organiser_id)
        # A second group of theirs, and one they are not in, made first so ids differ.
        strangers = make_group(owner, name="Strangers", slug="strangers")
        choir = make_group(owner, name="Choir", slug="choir")
        add_member(choir, madrid)
        others = [make_user(), make_user()]
        for person in others:
            add_member(walkers, person)

        def event(group, title, days, **fields):
            made = make_event(group, title=title, starts_at=MONDAY + timedelta(days=days), **fields)
            made.published_at = MONDAY - timedelta(days=1)
            return made

        far = event(walkers, "Far hike", 20)
        soon = event(choir, "Choir practice", 3)
        beyond = event(walkers, "Next month", 10)
        full = event(walkers, "Full supper", 5)
        event(strangers, "Not their group", 4)
        event(walkers, "Draft idea", 6, status=EventStatus.DRAFT)
        event(walkers, "Long past", -2)
        rsvp(soon, madrid, Answer.GOING)
        rsvp(beyond, madrid, Answer.GOING)  # beyond the coming week
        rsvp(full, others[0], Answer.WAITLISTED, ticket=1)
        rsvp(full, others[1], Answer.WAITLISTED, ticket=2)
        rsvp(full, madrid, Answer.WAITLISTED, ticket=3)
        open_poll = make_poll(walkers, question="Where next?", closes_at=MONDAY + timedelta(days=2))
        voted = make_poll(choir, question="Which song?")
        make_poll(walkers, question="Closed one", closed_at=MONDAY - timedelta(days=1))
        make_poll(strangers, question="Their poll?")
        db.session.add(
            Vote(
                poll_id=voted.id,
                option_id=option_ids(voted)[0],
                user_id=madrid.id,
                choice=PollChoice.SINGLE,
            )
        )
        make_task(
            far, title="Bring the map", assignee=madrid, due_on=(MONDAY + timedelta(days=4)).date()
        )
        make_task(
            far, title="Book the bus", assignee=madrid, due_on=(MONDAY + timedelta(days=30)).date()
        )
        make_task(far, title="Buy tea", assignee=madrid, due_on=MONDAY.date(), done_at=MONDAY)
        make_task(far, title="Someone else's", assignee=others[0], due_on=MONDAY.date())
        unread = make_announcement(walkers, owner, subject="Boots needed")
        read = make_announcement(choir, owner, subject="Already seen")
        db.session.add(AnnouncementRead(announcement_id=read.id, user_id=madrid.id))
        make_announcement(strangers, owner, subject="Strangers' news")
        db.session.commit()
        return {
            "far": far.id,
            "full": full.id,
            "choir": choir.id,
            "unread": unread.id,
            "poll": open_poll.id,
        }


def digest_text(app, mailbox, user_id, now=NOW, period="weekly:2026-11-30"):
    with app.app_context():
        assert write_digest(user_id, period, now)
        db.session.commit()
    return mailbox.text(mailbox.last("madrid@example.org"))


def test_it_tells_each_section_of_their_own(app, world, mailbox):
    ids = build(app, world)
    text = digest_text(app, mailbox, world.people["madrid"])

    going = text.split("You are going")[1].split("On the waitlist")[0]
    assert "Choir practice" in going and "Next month" not in going
    assert "Full supper" in text and "number 3 in line" in text
    new = text.split("New events")[1].split("Polls waiting")[0]
    # Soonest first; the draft, the past one and the strangers' are not there.
    assert new.index("Choir practice") < new.index("Full supper") < new.index("Lantern walk")
    for absent in ("Not their group", "Draft idea", "Long past"):
        assert absent not in text
    assert "Where next?" in text and f"/polls/{ids['poll']}" in text
    for absent in ("Which song?", "Closed one", "Their poll?"):
        assert absent not in text
    assert "Bring the map" in text
    for absent in ("Book the bus", "Buy tea", "Someone else's"):
        assert absent not in text
    assert "Boots needed" in text and f"/announcements/{ids['unread']}" in text
    assert "Already seen" not in text and "Strangers' news" not in text
    # A link per group it told of, to leave that group out.
    assert "Leave Choir out of your digest" in text and "Leave Walkers out" in text


def test_a_group_left_out_and_announcements_turned_off_are_not_told(app, world, mailbox):
    ids = build(app, world)
    madrid = world.people["madrid"]
    with app.app_context():
        db.session.add(DigestGroupLeftOut(user_id=madrid, group_id=ids["choir"]))
        db.session.add(
            AnnouncementDelivery(user_id=madrid, group_id=world.group_id, delivery=Delivery.OFF)
        )
        db.session.commit()
    text = digest_text(app, mailbox, madrid)

    assert "Choir practice" not in text and "Choir" not in text
    assert "Boots needed" not in text
    assert "Full supper" in text and "Where next?" in text


def test_the_next_digest_tells_only_what_is_new_since(app, world, mailbox):
    build(app, world)
    madrid = world.people["madrid"]
    with app.app_context():
        db.session.add(DigestSetting(user_id=madrid, frequency=Frequency.DAILY))
        db.session.commit()
    digest_text(app, mailbox, madrid, period="daily:2026-11-30")
    with app.app_context():
        walkers = db.session.get(Group, world.group_id)
        fresh = make_event(walkers, title="Moonlit swim", starts_at=MONDAY + timedelta(days=9))
        fresh.published_at = NOW + timedelta(hours=3)
        db.session.commit()

    text = digest_text(app, mailbox, madrid, NOW + timedelta(days=1), "daily:2026-12-01")

    assert "Moonlit swim" in text
    for told in ("Choir practice", "Full supper", "Where next?", "Bring the map", "Boots needed"):
        assert told not in text
