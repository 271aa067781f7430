"""An event's page, the list of events, and starting an event from its group."""

from zoneinfo import ZoneInfo

from flask import abort, flash, request
from flask_login import current_user, login_required

from webapp.database.unit_of_work import RuleError, refuse
from webapp.events import bp
from webapp.events.access import (
    at_canonical_address,
    can_answer,
    can_manage_event,
    can_organise_event,
    event_url,
    find_event,
)
from webapp.events.agenda.queries import agenda_context
from webapp.events.cards import card_html
from webapp.events.cohosts.queries import cohosts_of
from webapp.events.listing import visible_events
from webapp.events.previews import events_list_preview, head_html
from webapp.events.queries import PAST, UPCOMING, listed_group
from webapp.events.questions.views import questions_context
from webapp.events.rsvp.panel import rsvp_panel_context
from webapp.events.series.forms import NewEventForm
from webapp.events.series.queries import series_context
from webapp.events.series.services import create_series
from webapp.events.services import create_event
from webapp.events.times import (
    iso,
    listed_html,
    listed_moment,
    moment_text,
    same_clocks,
    span_text,
    zone_named,
)
from webapp.groups.access import can_manage, can_see, can_take_part, get_group
from webapp.web.hooks import cacheable_for_visitors
from webapp.web.htmx import redirect_to, render, render_form
from webapp.web.pagination import paginate
from webapp.web.panels import panel_context
from webapp.web.ratelimits import rate_limited
from webapp.web.templating import viewer_zone
from webapp.web.translating import gettext as _

PER_PAGE = 20


bp.add_app_template_filter(card_html, "event_card")


@bp.app_template_filter("event_span")
def event_span(event):
    """When, on the clocks where it happens: 'Sat 5 Dec 2026, 18:00-20:00 CET'."""
    return span_text(event.starts_at, event.ends_at, event.zone)


@bp.app_template_filter("viewer_span")
def viewer_span(event):
    """When, on the viewer's clocks; '' when they read the same (or the zone is unknown)."""
    if not current_user.is_authenticated:
        return ""
    mine = ZoneInfo(current_user.time_zone)
    if same_clocks(event.starts_at, event.ends_at, event.zone, mine):
        return ""
    return span_text(event.starts_at, event.ends_at, mine)


@bp.app_template_filter("listed_start")
def listed_start(event):
    """The start in a list, on the viewer's clocks, and on the event's when they differ."""
    moment = event.starts_at
    shown = listed_moment(moment, zone_named(event.time_zone), viewer_zone(), "the event's")
    return listed_html(moment, shown)


@bp.app_template_filter("listed_time")
def listed_time(moment, zone_name, whose="the event's"):
    """Another moment in a list (a poll's closing time), as listed_start shows a start."""
    return listed_html(moment, listed_moment(moment, zone_named(zone_name), viewer_zone(), whose))


@bp.app_template_filter("in_zone_of")
def in_zone_of(moment, event):
    """Another moment of the event (its deadline, a session) on the event's clocks."""
    return moment_text(moment, event.zone)


bp.add_app_template_filter(iso, "iso_time")


@bp.get("/events/<int:event_id>")
@bp.get("/events/<int:event_id>-<slug>")
@cacheable_for_visitors
def detail(event_id, slug=None):
    """The event: when and where, what it is about, and the RSVP panel."""
    event = find_event(event_id, for_page=True)
    at_canonical_address(event, slug)
    rsvp = rsvp_panel_context(event)
    return render(
        "events/detail.html",
        "events/detail.html",
        event=event,
        group=event.group,
        event_head=head_html(event),
        can_answer=can_answer(current_user, event),
        can_manage=can_manage_event(current_user, event),
        # The group's organisers: cancel, delete, co-hosts, the series' own buttons.
        can_organise=can_organise_event(current_user, event),
        cohosts=cohosts_of(event),
        # Members only: a public page would hand the call to anyone passing (or crawling).
        shows_online_link=can_take_part(current_user, event.group)
        or can_manage_event(current_user, event),
        # Other features' parts of the page (its polls: polls/panels.py).
        **panel_context("events.detail", event=event),
        **agenda_context(event),
        **rsvp,
        **questions_context(event, rsvp["rsvp_panel"].mine),
        **series_context(event),
    )


@bp.get("/events")
def index():
    """Events one may see, upcoming or past, of one group or all, searchable as one types."""
    query = request.args.get("q", "").strip()[:100]
    when = PAST if request.args.get("when") == PAST else UPCOMING
    group = None
    if slug := request.args.get("group", "").strip()[:80]:
        group = listed_group(slug)
        if group is None or not can_see(current_user, group):
            abort(404)
    listing, values = visible_events(current_user, query, when, group)
    page = paginate(listing, per_page=PER_PAGE, values=values)
    return render(
        "events/index.html",
        "events/_results.html",
        preview=events_list_preview(),
        page=page,
        query=query,
        when=when,
        group=group,
        # What the search form, the tabs and the pager keep (the default "upcoming" aside).
        filters={
            name: value
            for name, value in (
                ("when", when != UPCOMING and when),
                ("group", group and group.slug),
            )
            if value
        },
        # Ways to follow the list: its feeds (webapp/open_web/feeds/panels.py).
        **panel_context("events.index", group=group, query=query),
    )


@bp.route("/groups/<slug>/events/new", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_CONTENT", per_user=True)
@login_required
def new(slug):
    """Start an event of the group, or a series of them: drafts until its organisers
    publish them."""
    group = get_group(slug, need=can_manage)
    form = NewEventForm()
    if not form.is_submitted():
        form.time_zone.data = current_user.time_zone
    if form.validate_on_submit():
        rule = form.repeat_rule()
        try:
            if rule is None:
                event = create_event(current_user, group, form.details())
            else:
                event = create_series(current_user, group, form.details(), rule)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(
                _("The draft is saved. Only organisers see it until you publish it.")
                if rule is None
                else _(
                    "The series is saved as drafts. Only organisers see it until you publish it."
                ),
                "success",
            )
            return redirect_to(event_url(event))
    return render_form("events/new.html", "events/_event_form.html", form, group=group, event=None)
