"""Lazy translations are text, not HTML: a template and a form label escape them and the
values put into them, as they escape any str."""

from flask import render_template_string
from wtforms import Form, StringField

from webapp.web.translating import lazy_gettext, lazy_ngettext, lazy_pgettext


def test_a_value_in_a_lazy_translation_is_escaped_on_the_page(app):
    with app.test_request_context("/"):
        said = lazy_gettext("You're going to %(title)s", title="<b>Picnic</b>")
        counted = lazy_ngettext(
            "%(num)d place for %(who)s", "%(num)d places for %(who)s", 2, who="<i>"
        )
        page = render_template_string(
            "{{ said }}|{{ counted }}|{{ state }}",
            said=said,
            counted=counted,
            state=lazy_pgettext("event state", "<Open>"),
        )

    assert page == (
        "You&#39;re going to &lt;b&gt;Picnic&lt;/b&gt;|2 places for &lt;i&gt;|&lt;Open&gt;"
    )


def test_a_lazy_form_label_is_escaped(app):
    class Named(Form):
        name = StringField(lazy_gettext("Name <em>%(mark)s</em>", mark="&"))

    with app.test_request_context("/"):
        label = str(Named().name.label())

    assert "Name &lt;em&gt;&amp;&lt;/em&gt;" in label
