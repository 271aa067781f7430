"""A series' page (its rule in words, its coming and past dates), its calendar file, and
the buttons of standing answers on a date's page."""

import functools

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required
from markupsafe import Markup

from webapp.database.unit_of_work import RuleError, refuse
from webapp.events.access import can_organise_event, event_url, get_event
from webapp.events.calendar.feeds import sequences_of
from webapp.events.calendar.ics import build_calendar, calendar_host
from webapp.events.calendar.views import ics_response
from webapp.events.rsvp.models import Answer
from webapp.events.series import bp
from webapp.events.series.previews import series_preview
from webapp.events.series.queries import (
    coming_dates,
    find_series,
    page_dates,
    past_dates,
    series_slug,
    series_words,
    standing_answer_of,
)
from webapp.events.series.services import answer_following, end_series_from, stop_following
from webapp.groups.access import can_manage, can_take_part
from webapp.web.forms import EmptyForm
from webapp.web.htmx import redirect_to, render
from webapp.web.ratelimits import rate_limited
from webapp.web.translating import ngettext
from webapp.web.url_patterns import url_for_each

# Dates rendered, kept by each web process (as events' cards are: webapp.events.cards).
DATES_KEPT = 4096


def series_url(series, **values):
    return url_for("events.series.detail", series_id=series.id, slug=series_slug(series), **values)


bp.add_app_template_global(series_url, "series_url")


@functools.lru_cache(maxsize=8)
def _date_address(script_root):
    """The builder of a date's address under script_root."""
    return url_for_each("events.detail", "event_id", "slug")


def _render_date(date, script_root, language):
    """A date's line on its series' page: a pure function of the SeriesDate (the viewer's
    answer in it), of the site's addresses and of the language its words are in (a key of
    the kept dates only). Rendering every line anew was most of the page's render."""
    template = current_app.jinja_env.get_template("events/series/_date.html")
    return template.module.date_row(date, _date_address(script_root)(date.id, date.slug))


_kept_dates = functools.lru_cache(maxsize=DATES_KEPT)(_render_date)


@bp.app_template_filter("series_dates")
def dates_html(dates):
    """dates (SeriesDates) as their lines' HTML; rendered afresh while templates reload
    when they change (development), so that an edited line shows."""
    render_date = _render_date if current_app.jinja_env.auto_reload else _kept_dates
    script_root, language = request.script_root, str(get_locale())
    return Markup().join([render_date(date, script_root, language) for date in dates])


@bp.get("/series/<int:series_id>")
@bp.get("/series/<int:series_id>-<slug>")
def detail(series_id, slug=None):
    """The series: its rule in words, the coming dates with places left, the past ones."""
    series = find_series(series_id)
    if slug != series_slug(series):
        query = request.query_string.decode("latin-1")
        return redirect(series_url(series) + (f"?{query}" if query else ""), 301)
    words, end_words = series_words(series)
    coming, past = page_dates(series, current_user)
    return render(
        "events/series/detail.html",
        "events/series/detail.html",
        series=series,
        group=series.group,
        words=words,
        end_words=end_words,
        coming=coming,
        past=past,
        standing=standing_answer_of(current_user, series),
        is_member=can_take_part(current_user, series.group),
        can_manage=can_manage(current_user, series.group),
        preview=series_preview(series, words),
    )


@bp.get("/series/<int:series_id>/calendar.ics")
def calendar(series_id):
    """Every date of the series made so far as an .ics file, one entry each (a moved date
    where it moved to, a cancelled one marked so)."""
    series = find_series(series_id)
    dates = [event for event, _answer in past_dates(series, current_user)][::-1]
    dates += [event for event, _answer in coming_dates(series, current_user)]
    sequences = sequences_of(dates)
    entries = [(event, sequences[event.id], None) for event in dates]
    body = build_calendar(
        series.title,
        f"calendar-series-{series.id}@{calendar_host()}",
        entries,
        # The online link for those the event's page shows it to: its group's members.
        with_online_link=can_take_part(current_user, series.group),
    )
    return ics_response(body, series_slug(series))


def _may_answer(user, event):
    return can_take_part(user, event.group)


def _series_date(event_id):
    """A date of a series that the current user may answer (404 or 403 as for an RSVP)."""
    event = get_event(event_id, need=_may_answer)
    if event.series_id is None:
        abort(404)
    return event


@bp.post("/events/<int:event_id>/series/going")
@rate_limited("RATE_LIMIT_ANSWER", per_user=True)
@login_required
def going_from_here(event_id):
    """Going to this date and every later one of its series."""
    event = _series_date(event_id)
    if EmptyForm().validate_on_submit():
        try:
            counts = answer_following(current_user, event)
        except RuleError as error:
            refuse(error)
        else:
            flash(_following_message(counts), "success")
    return redirect_to(event_url(event))


def _following_message(counts):
    going, waiting = counts[Answer.GOING], counts[Answer.WAITLISTED]
    if waiting:
        return ngettext(
            "You are going to this date and every later one. %(num)d date is full: you are "
            "on its waitlist.",
            "You are going to this date and every later one. %(num)d dates are full: you are "
            "on their waitlists.",
            waiting,
        )
    return ngettext(
        "You are going to this date and every later one (%(num)d date so far).",
        "You are going to this date and every later one (%(num)d dates so far).",
        going,
    )


@bp.post("/events/<int:event_id>/series/not-going")
@rate_limited("RATE_LIMIT_ANSWER", per_user=True)
@login_required
def not_going_from_here(event_id):
    """Not going to this date nor any later one of its series."""
    event = _series_date(event_id)
    if EmptyForm().validate_on_submit():
        try:
            left = stop_following(current_user, event)
        except RuleError as error:
            refuse(error)
        else:
            flash(
                ngettext(
                    "You are not going to this date nor to later ones (%(num)d answer changed).",
                    "You are not going to this date nor to later ones (%(num)d answers changed).",
                    left,
                ),
                "info",
            )
    return redirect_to(event_url(event))


@bp.route("/events/<int:event_id>/series/end", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_EVENT_NOTICES", per_user=True)
@login_required
def end(event_id):
    """GET asks; POST ends the series from this date on (the group's organisers': it
    cancels or deletes the later dates, which a co-host of this one does not co-host)."""
    event = get_event(event_id, need=can_organise_event)
    if event.series_id is None:
        abort(404)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            gone = end_series_from(current_user, event)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(
                ngettext(
                    "The series ends before this date: %(num)d date is cancelled or deleted.",
                    "The series ends before this date: %(num)d dates are cancelled or deleted.",
                    gone,
                ),
                "info",
            )
            return redirect_to(series_url(event.series))
    return render(
        "events/series/end.html",
        "events/series/_end.html",
        status=422 if form.is_submitted() else 200,
        event=event,
        group=event.group,
        form=form,
    )
