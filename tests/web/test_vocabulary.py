"""Enum members written into SQL as constants (vocabulary.sql_constant)."""

import pytest
import sqlalchemy as sa

from webapp.events.models import Event, EventStatus
from webapp.web.vocabulary import LabelledEnum, sql_constant


def test_a_member_is_written_in_the_statement_not_sent_beside_it():
    compiled = sa.select(Event.id).where(Event.status == sql_constant(EventStatus.DRAFT)).compile()
    assert "events.status = 'draft'" in str(compiled)
    assert compiled.params == {}


class Strange(LabelledEnum):
    QUOTED = "it's", "A quote"
    SPACED = "a b", "A space"
    UPPER = "Draft", "Upper case"


@pytest.mark.parametrize("member", list(Strange))
def test_only_a_stored_value_of_lower_case_letters_is_written_in(member):
    with pytest.raises(ValueError, match="not a stored value"):
        sql_constant(member)
