"""Member and group counts read right for one and for several (the catalogue's plural
forms, in English): the group's panel, the groups list and the members table."""

from tests.accounts.factories import make_user
from tests.groups.factories import add_member, make_group
from tests.support.auth import html


def test_one_member_and_two_members(app, client, auth):
    with app.app_context():
        owner = make_user()
        owner_email = owner.email
        group = make_group(owner, name="Lonely Lighthouse Keepers")
        slug = group.slug
    auth.login(owner_email)

    alone = html(client.get(f"/groups/{slug}"))
    assert '<p class="member-count"><strong>1</strong> member</p>' in alone
    listed = html(client.get("/groups?q=Lighthouse"))
    assert 'data-announce="1 group matches"' in listed and "<span>1 member</span>" in listed
    table = html(client.get(f"/groups/{slug}/manage/members"))
    assert 'data-announce="1 member matches"' in table

    with app.app_context():
        add_member(group, make_user())
        make_group(make_user(), name="Lighthouse Painters")

    two = html(client.get(f"/groups/{slug}"))
    assert '<p class="member-count"><strong>2</strong> members</p>' in two
    listed = html(client.get("/groups?q=Lighthouse"))
    assert 'data-announce="2 groups match"' in listed and "<span>2 members</span>" in listed
    table = html(client.get(f"/groups/{slug}/manage/members"))
    assert 'data-announce="2 members match"' in table
