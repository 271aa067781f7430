"""Times in tables read in the viewer's zone, as strftime would have written them."""

from datetime import UTC, datetime

import pytest
from flask import render_template_string

MOMENTS = [datetime(2026, month, 28, 23, 30, tzinfo=UTC) for month in range(1, 13)]


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "Pacific/Kiritimati"])
def test_local_time_reads_as_strftime_in_the_viewers_zone(app, user, zone):
    from zoneinfo import ZoneInfo

    from webapp.extensions import db

    with app.app_context():
        user.time_zone = zone
        db.session.merge(user)
        db.session.commit()
    with app.test_request_context():
        from flask_login import login_user

        from webapp.accounts.models import User

        login_user(db.session.get(User, user.id))
        for moment in MOMENTS:
            local = moment.astimezone(ZoneInfo(zone))
            page = render_template_string(
                "{{ m|local_time }}|{{ m|local_time('%d %b %Y') }}", m=moment
            )
            assert page == f"{local:%d %b %Y, %H:%M}|{local:%d %b %Y}"
