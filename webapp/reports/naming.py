"""What a report is about, in words: for the queue, the emails and the audit log."""

from webapp.reports.models import ReportKind
from webapp.web.translating import gettext as _


def subject_name(report):
    """The reported thing as people read it ("a comment by Ana Ruiz"), in the language in
    force; its words stay out of it (a comment may be what is wrong)."""
    if report.kind == ReportKind.COMMENT:
        author = report.comment.author if report.comment is not None else None
        if author is None:
            return _("a comment by a former member")
        return _("a comment by %(name)s", name=author.name)
    if report.kind == ReportKind.EVENT:
        title = report.event.title if report.event is not None else ""
        return _("the event “%(title)s”", title=title)
    if report.kind == ReportKind.DISCUSSION:
        title = report.discussion.title if report.discussion is not None else ""
        return _("the discussion “%(title)s”", title=title)
    return report.person.name if report.person is not None else _("a former member")
