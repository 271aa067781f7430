"""The RSVP rules against random sequences of steps (tests/events/rsvp/machine.py), from
small events (no place to three)."""

import pytest

from tests.events.rsvp.machine import run_rsvp_machine


@pytest.mark.timeout(300)
def test_the_rules_hold_under_random_sequences(app_context):
    run_rsvp_machine((0, 1, 2, 3), examples=40)
