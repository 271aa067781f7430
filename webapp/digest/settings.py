"""Reading and saving one person's digest choices."""

import sqlalchemy as sa

from webapp.database.inserts import insert_many_or_ignore, insert_or_ignore
from webapp.database.times import utcnow
from webapp.digest.forms import DIGEST, EMAIL, DigestForm
from webapp.digest.models import DEFAULT_FREQUENCY, DigestGroupLeftOut, DigestSetting, Frequency
from webapp.discussions.queries import talk_in_digest
from webapp.discussions.services import set_talk_in_digest
from webapp.extensions import db
from webapp.groups.models import Group, Membership, MembershipStatus


def frequency_of(user):
    setting = db.session.get(DigestSetting, user.id)
    return setting.frequency if setting is not None else DEFAULT_FREQUENCY


def their_groups(user):
    """The live groups user is an active member of, by name."""
    return db.session.scalars(
        sa.select(Group)
        .join(Membership, Membership.group_id == Group.id)
        .where(
            Membership.user_id == user.id,
            Membership.status == MembershipStatus.ACTIVE,
            Group.listed(),
        )
        .order_by(Group.name, Group.id)
    ).all()


def left_out_ids(user):
    return set(
        db.session.scalars(
            sa.select(DigestGroupLeftOut.group_id).where(DigestGroupLeftOut.user_id == user.id)
        )
    )


def digest_form_for(user):
    """The form showing what user has chosen (not reading the request)."""
    groups = their_groups(user)
    left_out = left_out_ids(user)
    form = DigestForm(
        formdata=None,
        data={
            "frequency": frequency_of(user).value,
            "talk": DIGEST if talk_in_digest(user) else EMAIL,
            "groups": [group.id for group in groups if group.id not in left_out],
        },
    )
    return form.offer_groups(groups)


def posted_digest_form(user):
    return DigestForm().offer_groups(their_groups(user))


def set_frequency(user, frequency):
    """Twice at once is as once: the row is written or updated in one statement each."""
    if not insert_or_ignore(
        DigestSetting, user_id=user.id, frequency=Frequency(frequency), changed_at=utcnow()
    ):
        db.session.execute(
            sa.update(DigestSetting)
            .where(DigestSetting.user_id == user.id)
            .values(frequency=Frequency(frequency), changed_at=utcnow())
        )


def leave_out_group(user, group_id):
    insert_or_ignore(DigestGroupLeftOut, user_id=user.id, group_id=group_id)


def turn_off(user):
    """No digest; so the threads they follow come by email again (the form keeps the
    two together: comments in the digest take a digest)."""
    set_frequency(user, Frequency.OFF)
    set_talk_in_digest(user, False)


def save_digest_choices(user, frequency, covered_ids, talk=EMAIL):
    """How often, which of their groups the digest covers (the others are left out), and
    whether it tells of new comments in the threads they follow."""
    set_frequency(user, frequency)
    set_talk_in_digest(user, talk == DIGEST and Frequency(frequency) != Frequency.OFF)
    offered = {group.id for group in their_groups(user)}
    db.session.execute(
        sa.delete(DigestGroupLeftOut).where(
            DigestGroupLeftOut.user_id == user.id,
            DigestGroupLeftOut.group_id.in_(set(covered_ids) & offered),
        )
    )
    insert_many_or_ignore(
        DigestGroupLeftOut,
        [
            {"user_id": user.id, "group_id": group_id}
            for group_id in sorted(offered - set(covered_ids))
        ],
    )
