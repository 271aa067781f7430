"""The RSVP rules against random sequences of steps (tests/events/rsvp/machine.py), from
events without a capacity (one may be set along the way)."""

import pytest

from tests.events.rsvp.machine import run_rsvp_machine


@pytest.mark.timeout(300)
def test_the_rules_hold_from_no_capacity(app_context):
    run_rsvp_machine((None,), examples=10)
