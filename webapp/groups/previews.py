"""A group's page as a pasted link shows it: its name, members and description, and on
the open web its card (webapp.open_web.link_cards draws it from group_card_words)."""

from webapp.web import public_url
from webapp.web.numbers import number_text
from webapp.web.previews import Preview, card_of, one_line
from webapp.web.translating import gettext as _
from webapp.web.translating import ngettext


def group_card_words(group):
    """(title, lines, footer) of the group's card."""
    return group.name, [group.summary], _("A group on Hearth")


def group_preview(group):
    """What a pasted link to the group shows: its name, its members and its description."""
    count = group.member_count
    members = ngettext("%(num)s member", "%(num)s members", count, num=number_text(count))
    card = None
    if group.is_on_the_open_web:
        card = card_of("open_web.group_card", group_card_words(group), slug=group.slug)
    return Preview(
        title=group.name,
        description=one_line(members, group.summary),
        url=public_url.absolute_url("groups.detail", slug=group.slug),
        card=card,
    )
