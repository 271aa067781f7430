"""Text through the catalogue, as quickly as a page that shows a hundred strings needs.

Flask-Babel finds the catalogue afresh for every string (the locale, its name, a cache
keyed by it), and Jinja's i18n calls reach it through two more layers: a page's labels
cost more than its queries. Here the catalogue is found once per language and request
(or email: in_language switches it), and templates call it directly, with Jinja's
"newstyle" rules kept: the result is escaped as text and always %-formatted, so a
literal % is written %%.

The lazy forms are for text made at import time (form labels and their messages, enum
labels, module constants) and for an email's subject. Flask-Babel's own lazy strings tell
Jinja and WTForms that they are HTML already (`__html__` gives the text as it is), so a
translation, or a value put into one (`title=event.title`), would reach the page
unescaped. These are escaped as any other text is; markup belongs in templates.
"""

from flask import g
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from markupsafe import Markup, escape


def current_locale():
    """The locale of this page or email (None outside an app context): Flask-Babel's
    get_locale, read where it keeps it, for what asks on every row (a day, a count)."""
    try:
        return _locale_in(g._get_current_object())
    except RuntimeError:
        return None


def current_translations():
    """The catalogue of the language this page, or this email, is in."""
    try:
        request_globals = g._get_current_object()
    except RuntimeError:
        return get_translations()  # no app context: Flask-Babel's stand-in
    locale = _locale_in(request_globals)
    kept = getattr(request_globals, "hearth_translations", None)
    if kept is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    request_globals.hearth_translations = (locale, translations)
    return translations


def _locale_in(request_globals):
    # Flask-Babel keeps the locale in g's namespace of its own (force_locale swaps it).
    babel_context = getattr(request_globals, "_flask_babel", None)
    return getattr(babel_context, "babel_locale", None) or get_locale()


def gettext(string, /, **variables):
    text = current_translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular, plural, num, /, **variables):
    variables.setdefault("num", num)
    return current_translations().ungettext(singular, plural, num) % variables


def pgettext(context, string, /, **variables):
    text = current_translations().upgettext(context, string)
    return text % variables if variables else text


def npgettext(context, singular, plural, num, /, **variables):
    variables.setdefault("num", num)
    return current_translations().unpgettext(context, singular, plural, num) % variables


def _shown(eval_context, text, variables):
    """text formatted with variables as Jinja's new-style gettext does, the values escaped
    one by one (as Markup's % escapes them, at a fraction of its cost: a table's rows
    each name someone in a label or two)."""
    if not variables and "%" not in text:
        # A message of the catalogue, as Jinja's own gettext marks it: no value in it.
        # nosemgrep: markup-of-a-variable
        return Markup(text) if eval_context.autoescape else text  # noqa: S704  # nosec B704
    if not eval_context.autoescape:
        return text % variables
    escaped = {
        name: value if isinstance(value, int | float) else escape(value)
        for name, value in variables.items()
    }
    # As Jinja's own: a template's message may hold its markup (<strong>{{ title }}</strong>);
    # every value put into it is escaped above.
    # nosemgrep: markup-of-a-variable
    return Markup(text % escaped)  # noqa: S704  # nosec B704


# The evaluation context (whether to escape) is all these need. A function that asks for
# the whole template context is handed, when called inside a loop, a copy of it made for
# that call: one per translated label per row.
@pass_eval_context
def _template_gettext(eval_context, string, /, **variables):
    return _shown(eval_context, current_translations().ugettext(string), variables)


@pass_eval_context
def _template_ngettext(eval_context, singular, plural, num, /, **variables):
    variables.setdefault("num", num)
    text = current_translations().ungettext(singular, plural, num)
    return _shown(eval_context, text, variables)


@pass_eval_context
def _template_pgettext(eval_context, context, string, /, **variables):
    return _shown(eval_context, current_translations().upgettext(context, string), variables)


@pass_eval_context
def _template_npgettext(eval_context, context, singular, plural, num, /, **variables):
    variables.setdefault("num", num)
    text = current_translations().unpgettext(context, singular, plural, num)
    return _shown(eval_context, text, variables)


def install_template_gettext(app):
    """Templates' _, gettext, ngettext, pgettext and npgettext: these, called directly
    (Flask-Babel's, installed before, reach the catalogue through Jinja's alias and
    wrapper). Blocks ({% trans %}) compile to the same names, new-style."""
    app.jinja_env.newstyle_gettext = True
    app.jinja_env.globals.update(
        _=_template_gettext,
        gettext=_template_gettext,
        ngettext=_template_ngettext,
        pgettext=_template_pgettext,
        npgettext=_template_npgettext,
    )


# The message's own arguments are positional only, so that a placeholder may be named like
# one: ngettext("%(num)s vote", "%(num)s votes", n, num=n|number).


class LazyText(LazyString):
    """A lazy translation that a template escapes like a str."""

    def __html__(self):
        return escape(str(self))


def lazy_gettext(string, /, **variables):
    return LazyText(gettext, string, **variables)


def lazy_ngettext(singular, plural, num, /, **variables):
    return LazyText(ngettext, singular, plural, num, **variables)


def lazy_pgettext(context, string, /, **variables):
    return LazyText(pgettext, context, string, **variables)
