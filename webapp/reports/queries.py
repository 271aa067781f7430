"""Reads of reports: the cases waiting for a group's organisers or for the site admins
(the reports of one thing together), and a member's own reports."""

from itertools import groupby
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from webapp.discussions.models import Comment, Discussion
from webapp.extensions import db
from webapp.reports.models import WAITING, Report, ReportState

# A queue longer than this is shown in parts: the oldest cases first.
CASES_SHOWN = 50


class Case(NamedTuple):
    """The waiting reports of one thing, oldest first: the first stands for them all."""

    first: Report
    reports: list

    @property
    def count(self):
        return len(self.reports)

    @property
    def latest_at(self):
        return self.reports[-1].created_at


def _with_subjects(statement):
    return statement.options(
        selectinload(Report.group),
        selectinload(Report.comment).selectinload(Comment.author),
        selectinload(Report.comment)
        .selectinload(Comment.discussion)
        .selectinload(Discussion.event),
        selectinload(Report.event),
        selectinload(Report.person),
        selectinload(Report.discussion),
    )


def _cases(where):
    reports = db.session.scalars(
        _with_subjects(
            sa.select(Report)
            .where(*where)
            .order_by(Report.group_id, Report.kind, Report.subject_id, Report.created_at, Report.id)
        )
    ).all()
    cases = [
        Case(group[0], group)
        for _key, grouped in groupby(reports, key=lambda r: r.case)
        if (group := list(grouped))
    ]
    cases.sort(key=lambda case: (case.first.created_at, case.first.id))
    return cases[:CASES_SHOWN], len(cases)


def open_cases_of(group):
    """The group's cases waiting for its organisers: ([Case], how many in all)."""
    return _cases((Report.group_id == group.id, Report.state == ReportState.OPEN))


def waiting_cases():
    """Every group's waiting cases, for the site admins (passed up or still open)."""
    return _cases((Report.state.in_(WAITING),))


def reports_of(user):
    """A statement for user's own reports, newest first."""
    return _with_subjects(
        sa.select(Report)
        .where(Report.reporter_id == user.id)
        .order_by(Report.created_at.desc(), Report.id.desc())
    )
