"""Which websites may show a group's embedded list of events (webapp.open_web.embeds):
any, or those its organisers list; and the code to paste, on the group's settings page."""

import re
from urllib.parse import urlsplit

from flask import abort, flash, g, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from webapp.groups.access import can_manage, get_group
from webapp.groups.manage_settings import settings_page
from webapp.groups.models import HistoryAction
from webapp.groups.services import record
from webapp.open_web import bp
from webapp.open_web.access import is_public
from webapp.web import public_url
from webapp.web.htmx import redirect_to
from webapp.web.panels import add_panel
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l
from webapp.web.translating import ngettext

ANYONE, LISTED = "anyone", "listed"
MOST_SITES = 20
# A host as a browser's address bar writes it (IDNA already applied), or "*." and one.
_HOST = re.compile(r"(\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")


def website_origin(text):
    """'https://example.org' from an address a person typed for a website, or None: a
    scheme and host (and port) alone, which is what a frame-ancestors source may name."""
    try:
        parts = urlsplit(text.strip())
        port = parts.port
        host = parts.hostname or ""
        wildcard = host.startswith("*.")
        host = ("*." if wildcard else "") + host.removeprefix("*.").encode("idna").decode()
    except (ValueError, UnicodeError):
        return None
    if (
        parts.scheme not in ("https", "http")
        or parts.username
        or parts.password
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or not _HOST.fullmatch(host)
    ):
        return None
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def frame_ancestors(group):
    """The group's list's frame-ancestors: any site, or those listed ('none' if none)."""
    if group.embed_anywhere:
        return "*"
    return " ".join(group.embed_sites.split()) or "'none'"


class EmbedForm(FlaskForm):
    framed_by = RadioField(
        _l("Which websites may show the group's coming events"),
        choices=[
            SelectChoice(ANYONE, _l("Any website")),
            SelectChoice(LISTED, _l("Only the websites listed below")),
        ],
        default=ANYONE,
        validators=[DataRequired(_l("Choose which websites may show them."))],
    )
    sites = TextAreaField(
        _l("Websites"),
        validators=[Length(max=4000)],
        description=_l("One address a line, such as https://example.org."),
    )

    def validate_sites(self, field):
        lines = [line.strip() for line in (field.data or "").splitlines() if line.strip()]
        origins = []
        for line in lines:
            origin = website_origin(line)
            if origin is None:
                raise ValidationError(
                    _(
                        "“%(line)s” is not a website's address, such as https://example.org.",
                        line=line[:100],
                    )
                )
            if origin not in origins:
                origins.append(origin)
        if len(origins) > MOST_SITES:
            raise ValidationError(
                ngettext("At most %(num)d website.", "At most %(num)d websites.", MOST_SITES)
            )
        if self.framed_by.data == LISTED and not origins:
            raise ValidationError(_("Name at least one website, or let any website show them."))
        self.origins = origins


def _form_of(group):
    return EmbedForm(
        prefix="embed",
        formdata=None,
        framed_by=ANYONE if group.embed_anywhere else LISTED,
        sites="\n".join(group.embed_sites.split()),
    )


@add_panel("groups.manage.settings", "embedding", "open_web/_embedding.html", order=10)
def embedding_panel(group, forms):
    """The code to paste and the choice of websites, for a public group."""
    if not is_public(group):
        return {"embed_form": None}
    url = public_url.absolute_url("open_web.group_embed", slug=group.slug)
    title = _("Events of %(group)s", group=group.name)
    # HTML to copy, shown as text (the template escapes it once more).
    snippet = str(
        Markup(
            '<iframe src="{}" title="{}" width="100%" height="480" style="border: 0"'
            ' loading="lazy"></iframe>'
        ).format(url, title)
    )
    return {
        "embed_form": forms.get("embed_form") or _form_of(group),
        "embed_url": url,
        "embed_snippet": snippet,
    }


@bp.post("/groups/<slug>/manage/embedding")
@login_required
def embedding(slug):
    """Save which websites may show the group's list; 422 beside the field when one is
    not a website's address. A group that is not public has no list to show (404)."""
    group = get_group(slug, need=can_manage)
    if not is_public(group):
        abort(404)
    g.group = group
    form = EmbedForm(prefix="embed")
    if not form.validate_on_submit():
        return settings_page("open_web/_embedding.html", embed_form=form)
    group.embed_anywhere = form.framed_by.data == ANYONE
    group.embed_sites = "\n".join(form.origins)
    record(group, current_user, HistoryAction.SETTINGS_CHANGED)
    flash(_("Which websites may show the group's events is saved."), "success")
    # No #embedding: htmx would move to it on the page as it is, not load the page anew.
    return redirect_to(url_for("groups.manage.settings", slug=group.slug))
