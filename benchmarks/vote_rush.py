"""The vote rush: 100 members of the big group vote in the big poll at the same moment.

The members act as benchmarks/crowd.py has them, each choosing one of the poll's options
in turn. Every vote must come back (200), and afterwards the counters must agree with the
vote rows: the poll's voter count is its voters, 100 more than before, and each option's
count grew by exactly the votes it was given.
"""

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from benchmarks.crowd import Timings, at_once, members_without
from webapp.seed.polls import BIG_POLL_ID, VOTE_RUSH

VOTERS = VOTE_RUSH
NOT_VOTED = "SELECT 1 FROM poll_votes v WHERE v.poll_id = :poll AND v.user_id = u.id"


@dataclass
class VoteRushResult:
    timings: Timings
    before: dict
    after: dict
    # Votes given per option id, by the requests answered 200.
    given: Counter

    @property
    def exact(self):
        """Counters as the rows say, each rusher one more voter, each vote on its option."""
        before, after = self.before, self.after
        return (
            after["voter_count"] == after["voters"]
            and after["voter_count"] == before["voter_count"] + self.timings.answered
            and all(
                option["yes_count"] == option["yes_rows"]
                and option["if_need_be_count"] == option["if_need_be_rows"]
                and option["yes_count"]
                == before["options"][option_id]["yes_count"] + self.given[option_id]
                for option_id, option in after["options"].items()
            )
        )

    def line(self):
        return (
            f"{VOTERS} members vote at once in the big poll: {self.timings.text()}; "
            f"voters {self.before['voter_count']} -> {self.after['voter_count']}; "
            f"counts {'exact' if self.exact else 'WRONG'}"
        )


def counts(engine):
    """The poll's voter count and its voters by the rows; each option's counters and rows."""
    poll = sa.text(
        "SELECT p.voter_count, (SELECT count(DISTINCT v.user_id) FROM poll_votes v"
        " WHERE v.poll_id = p.id) AS voters FROM polls p WHERE p.id = :poll"
    )
    options = sa.text(
        "SELECT o.id, o.yes_count, o.if_need_be_count,"
        " count(v.id) FILTER (WHERE v.answer = 'yes') AS yes_rows,"
        " count(v.id) FILTER (WHERE v.answer = 'if_need_be') AS if_need_be_rows"
        " FROM poll_options o LEFT JOIN poll_votes v ON v.option_id = o.id"
        " WHERE o.poll_id = :poll GROUP BY o.id ORDER BY o.position, o.id"
    )
    with engine.connect() as connection:
        found = dict(connection.execute(poll, {"poll": BIG_POLL_ID}).mappings().one())
        rows = connection.execute(options, {"poll": BIG_POLL_ID}).mappings()
        found["options"] = {row["id"]: dict(row) for row in rows}
    return found


def vote_rush(port, database_url):
    engine = sa.create_engine(database_url)
    try:
        before = counts(engine)
        options = list(before["options"])
        voters = members_without(engine, NOT_VOTED, {"poll": BIG_POLL_ID}, VOTERS)

        def choice(index):
            return options[index % len(options)]

        timings, answers = at_once(
            port,
            voters,
            f"/polls/{BIG_POLL_ID}",
            f"/polls/{BIG_POLL_ID}/vote",
            lambda index: {"option": choice(index)},
        )
        given = Counter(choice(i) for i, answer in enumerate(answers) if answer.status == 200)
        return VoteRushResult(timings, before, counts(engine), given)
    finally:
        engine.dispose()
