"""The RSVP rules against random sequences of steps (tests/events/rsvp/machine.py), from
roomier events (four or five places)."""

import pytest

from tests.events.rsvp.machine import run_rsvp_machine


@pytest.mark.timeout(300)
def test_the_rules_hold_from_a_roomier_start(app_context):
    run_rsvp_machine((4, 5), examples=25)
