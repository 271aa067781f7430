"""The catalogues hold what the code says, and each language says all of it.

translations/messages.pot is what `make translations` extracts from the sources now (a
string marked since and not extracted would stay English in every language); each
language's catalogue translates every message of it, none left fuzzy, with the same
placeholders as the English and as many plural forms as the language has.
"""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.support.pseudo_locale import ROOT, extract
from webapp.config import Config

TRANSLATIONS = ROOT / "translations"
LANGUAGES = [code for code in Config.LANGUAGES if code != "en"]


def read(path, locale=None):
    with open(path, "rb") as file:
        return read_po(file, locale=locale)


def message_ids(catalogue):
    return {
        (message.context, message.id if isinstance(message.id, str) else tuple(message.id))
        for message in catalogue
        if message.id
    }


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    return extract(tmp_path_factory.mktemp("extracted") / "messages.pot")


def test_the_template_is_what_the_sources_mark(extracted):
    committed = read(TRANSLATIONS / "messages.pot")
    missing = message_ids(extracted) - message_ids(committed)
    stale = message_ids(committed) - message_ids(extracted)

    assert not missing, (
        f"marked but not in messages.pot (run `make translations`): {sorted(missing)}"
    )
    assert not stale, (
        f"in messages.pot but no longer marked (run `make translations`): {sorted(stale)}"
    )


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_language_translates_every_message(code):
    template = read(TRANSLATIONS / "messages.pot")
    catalogue = read(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", locale=code)
    by_id = {
        (message.context, message.id if isinstance(message.id, str) else tuple(message.id)): message
        for message in catalogue
        if message.id
    }

    untranslated = []
    for key in message_ids(template):
        message = by_id.get(key)
        strings = (
            ()
            if message is None
            else (message.string if isinstance(message.string, tuple) else (message.string,))
        )
        if message is None or message.fuzzy or not all(strings):
            untranslated.append(key)

    assert not untranslated, (
        f"{code}: {len(untranslated)} not translated: {sorted(untranslated)[:40]}"
    )


# A named placeholder as Python's %-formatting (and so gettext's) reads it.
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]")


def placeholders(text):
    return set(PLACEHOLDER.findall(text))


def placeholder_problems(catalogue):
    """What is wrong with each message's placeholders and plural forms: Babel's own checks
    (a placeholder the English lacks, a wrong count of plural forms) and one it leaves out
    (a placeholder the translation lost). A plural's first forms may leave the count out
    ("un lugar"), its last may not."""
    problems = [
        f"{message.id!r}: {'; '.join(str(error) for error in errors)}"
        for message, errors in catalogue.check()
        if errors
    ]
    for message in catalogue:
        if not message.id or not message.string:
            continue
        if isinstance(message.id, str):
            wanted, forms = placeholders(message.id), [message.string]
        else:
            wanted = placeholders(message.id[0]) | placeholders(message.id[1])
            forms = [form for form in message.string if form][-1:]
        for form in forms:
            if placeholders(form) != wanted:
                problems.append(
                    f"{message.id!r}: has {sorted(placeholders(form))}, wants {sorted(wanted)}"
                )
    return problems


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_translation_keeps_the_placeholders_and_plural_forms(code):
    catalogue = read(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", locale=code)

    problems = placeholder_problems(catalogue)

    assert not problems, f"{code}:\n" + "\n".join(problems)


def test_the_check_sees_a_placeholder_lost_or_made_up(tmp_path):
    """The control: a translation that drops a placeholder, or names one the English does
    not have, is caught; one that keeps them is not."""
    po = tmp_path / "messages.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, python-format\nmsgid "Hello %(name)s"\nmsgstr "Hola"\n\n'
        '#, python-format\nmsgid "Bye %(name)s"\nmsgstr "Adiós %(nombre)s"\n\n'
        '#, python-format\nmsgid "At %(place)s"\nmsgstr "En %(place)s"\n',
        encoding="utf-8",
    )

    problems = placeholder_problems(read(Path(po), locale="es"))

    assert [problem.split(":")[0] for problem in problems if "Hello" in problem] == [
        "'Hello %(name)s'"
    ]
    assert any("Bye" in problem for problem in problems)
    assert not any("At %(place)s" in problem for problem in problems)
