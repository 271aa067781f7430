"""Text translated when it is shown: for what is made at import time (form labels and
their messages, enum labels, module constants) and for an email's subject.

Flask-Babel's own lazy strings tell Jinja and WTForms that they are HTML already
(`__html__` gives the text as it is), so a translation, or a value put into one
(`title=event.title`), would reach the page unescaped. These are escaped as any other
text is; markup belongs in templates.
"""

from flask_babel import gettext, ngettext, pgettext
from flask_babel.speaklater import LazyString
from markupsafe import escape


class LazyText(LazyString):
    """A lazy translation that a template escapes like a str."""

    def __html__(self):
        return escape(str(self))


def lazy_gettext(string, **variables):
    return LazyText(gettext, string, **variables)


def lazy_ngettext(singular, plural, num, **variables):
    return LazyText(ngettext, singular, plural, num, **variables)


def lazy_pgettext(context, string, **variables):
    return LazyText(pgettext, context, string, **variables)
