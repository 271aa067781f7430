"""Days as a language writes them: Hearth's English forms as before, every other language
as CLDR (through Babel) writes it, however the quick formatter joins the pieces."""

from datetime import date, datetime

import pytest
from babel import Locale
from babel.dates import format_date, format_skeleton
from flask_babel import force_locale

from webapp.web.dates import FORMS, _pieces, day_text

MOMENTS = [datetime(2031, 5, 1, 18, 0), datetime(2026, 12, 5, 9, 5), date(2030, 1, 27)]


@pytest.mark.parametrize(
    ("form", "english"),
    [
        ("day", "Sat 5 Dec 2026"),
        ("short_day", "Sat 5 Dec"),
        ("long_day", "Saturday 5 December 2026"),
        ("date", "05 Dec 2026"),
        ("long_date", "05 December 2026"),
    ],
)
def test_english_keeps_hearths_forms(app, form, english):
    with app.test_request_context("/"), force_locale("en"):
        assert day_text(datetime(2026, 12, 5, 18, 0), form) == english


def test_spanish_reads_as_spanish(app):
    with app.test_request_context("/"), force_locale("es"):
        assert day_text(datetime(2031, 5, 1, 18, 0)) == "jue, 1 may 2031"
        assert day_text(date(2031, 5, 1), "long_day") == "jueves, 1 de mayo de 2031"


@pytest.mark.parametrize("code", ["es", "fr", "de", "pt_BR", "ja", "ar", "he", "eo", "yi", "ru"])
@pytest.mark.parametrize("form", sorted(FORMS))
def test_each_form_is_what_babel_writes(app, code, form):
    skeleton, _english = FORMS[form]
    locale = Locale.parse(code)
    with app.test_request_context("/"), force_locale(code):
        for moment in MOMENTS:
            if skeleton in ("full", "long"):
                expected = format_date(moment, skeleton, locale=locale)
            else:
                expected = format_skeleton(skeleton, moment, locale=locale)
            assert day_text(moment, form) == expected, (code, form, moment)


def test_a_field_it_does_not_know_is_left_to_babel():
    locale = Locale.parse("es")
    assert _pieces("G y", locale) is None
    assert _pieces("EEE, d 'de' MMMM", locale) is not None
