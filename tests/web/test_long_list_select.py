"""The time zone select renders its options once: its markup is WTForms' own, with the
chosen zone marked, whichever zone a page shows, and a value outside the list marks none."""

import pytest
from wtforms import Form, SelectField
from wtforms.widgets import Select

from webapp.accounts.forms import time_zone_choices
from webapp.web.forms import LongListSelect


class Zones(Form):
    quick = SelectField(
        "Time zone", choices=time_zone_choices, widget=LongListSelect(time_zone_choices)
    )
    plain = SelectField("Time zone", choices=time_zone_choices, widget=Select())


@pytest.mark.parametrize(
    "zone", ["Europe/Paris", "America/Port-au-Prince", "UTC", "Mars/Olympus", None]
)
def test_the_markup_is_wtforms_own(zone):
    form = Zones(data={"quick": zone, "plain": zone})

    quick = str(form.quick(required=True, **{"aria-describedby": "zone-hint"}))
    plain = str(form.plain(required=True, **{"aria-describedby": "zone-hint"}))

    assert quick == plain.replace('id="plain" name="plain"', 'id="quick" name="quick"')
    assert quick.count(" selected ") == (
        1 if zone in dict.fromkeys(c.value for c in time_zone_choices()) else 0
    )


def test_two_pages_choosing_two_zones_each_show_their_own():
    first, second = Zones(data={"quick": "Asia/Tokyo"}), Zones(data={"quick": "Africa/Lagos"})

    assert '<option selected value="Asia/Tokyo">' in str(first.quick())
    assert '<option selected value="Africa/Lagos">' in str(second.quick())
    assert '<option selected value="Asia/Tokyo">' not in str(second.quick())
