"""Putting one message on the wire: SMTP, or the local outbox folder when no server is set."""

import email.policy
import logging
import re
import smtplib
import ssl
import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app

log = logging.getLogger("hearth.jobs")

# SMTP allows 998 characters a line: long links stay on one line, unencoded.
POLICY = email.policy.SMTP.clone(max_line_length=998)
LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")


def single_line(value):
    """A header value on one line: a line break in a name must not start a new header."""
    return " ".join(LINE_BREAKS.sub(" ", value).split())


def new_message_id():
    """A Message-ID on the sender's domain, made once per outbox row."""
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].strip("> ") or None
    return make_msgid(idstring="hearth", domain=domain)


def build(message):
    """The MIME message for an outbox row: plain text with an HTML alternative."""
    config = current_app.config
    mime = EmailMessage(policy=POLICY)
    mime["From"] = config["MAIL_DEFAULT_SENDER"]
    mime["To"] = single_line(message.recipient)
    mime["Subject"] = single_line(message.subject)
    # When it goes on the wire (RFC 5322): without it, spam filters count against the
    # message, and not every relay adds one.
    mime["Date"] = formatdate(usegmt=True)
    # The row's own Message-ID, the same at every attempt: a receiver that de-duplicates
    # by it hides the rare repeat.
    mime["Message-ID"] = message.message_id
    # Every message Hearth sends is automatic (RFC 3834): out-of-office replies and
    # other automatic answers are not sent back to it.
    mime["Auto-Submitted"] = "auto-generated"
    if message.list_unsubscribe:
        # Mail the reader can turn off: their mail program offers an unsubscribe button
        # that POSTs "List-Unsubscribe=One-Click" to this address (RFC 2369, RFC 8058),
        # which turns this kind off for them without a login. Account mail has none.
        mime["List-Unsubscribe"] = f"<{message.list_unsubscribe}>"
        mime["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mime.set_content(message.text_body, cte=_transfer_encoding(message.text_body))
    if message.html_body:
        html = message.html_body
        mime.add_alternative(html, subtype="html", cte=_transfer_encoding(html))
    _attach(mime, message.attachments or ())
    return mime


def _transfer_encoding(body):
    """8bit, so a saved copy reads (and copies) as plain text; quoted-printable when a line
    is longer than SMTP carries (998 octets): a long paragraph of someone's Markdown is one
    line of HTML, and a server refuses the whole message for it."""
    longest = max((len(line.encode()) for line in body.splitlines()), default=0)
    return "8bit" if longest <= POLICY.max_line_length else "quoted-printable"


def _attach(mime, attachments):
    """Images the HTML body shows (those with a content_id), then text files after the
    bodies (multipart/mixed), each with its content type's parameters (text/calendar;
    method=CANCEL)."""
    shown = [attachment for attachment in attachments if attachment.get("content_id")]
    if shown:
        _show_in_html(mime, shown)
    for attachment in attachments:
        if attachment.get("content_id"):
            continue
        maintype, _, subtype = attachment["content_type"].partition("/")
        if maintype != "text":
            raise ValueError(f"only text attachments are kept, not {maintype}")
        # base64: a calendar's lines end in CRLF and fold at 75 octets; nothing on the way
        # may rewrap or re-end them. Encoded under the SMTP policy's own line length, so
        # the base64 lines keep to RFC 2045's 76 characters.
        part = EmailMessage(policy=email.policy.SMTP)
        part.set_content(
            attachment["content"],
            subtype=subtype,
            filename=attachment["filename"],
            disposition="attachment",
            params=attachment.get("params") or {},
            cte="base64",
        )
        if mime.get_content_type() != "multipart/mixed":
            mime.make_mixed()
        mime.attach(part)


def _show_in_html(mime, images):
    """Images beside the HTML body (multipart/related), which shows each by its cid: URL.
    Only renderers make them (webapp.outbox.rendering): bytes are never stored in a row."""
    html = mime.get_body(preferencelist=("html",))
    if html is None:
        raise ValueError("an image shown in the body needs an HTML body")
    for image in images:
        maintype, _, subtype = image["content_type"].partition("/")
        if maintype != "image":
            raise ValueError(f"only images are shown in the body, not {maintype}")
        html.add_related(
            image["content"],
            maintype,
            subtype,
            cid=f"<{image['content_id']}>",
            disposition="inline",
            filename=image.get("filename"),
        )


def send(message):
    """Send by SMTP when MAIL_SERVER is set, else keep a readable copy on disk."""
    mime = build(message)
    if current_app.config["MAIL_SERVER"]:
        _send_smtp(mime)
    else:
        _write_local(mime, message)


def _send_smtp(mime):
    # smtplib directly rather than Flask-Mail: Flask-Mail opens the connection without a
    # timeout, and a server that stops answering would hold the worker past its lease.
    config = current_app.config
    timeout = config["MAIL_TIMEOUT"]
    if config["MAIL_USE_SSL"]:
        server = smtplib.SMTP_SSL(
            config["MAIL_SERVER"],
            config["MAIL_PORT"],
            timeout=timeout,
            context=ssl.create_default_context(),
        )
    else:
        server = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
    with server:
        if config["MAIL_USE_TLS"]:
            server.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            server.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        server.send_message(mime)


def _write_local(mime, message):
    """Keep a readable copy on disk and print the text with its links to the console."""
    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", message.subject.lower()).strip("-")[:40]
    path = outbox / f"{time.time_ns()}-{slug}.eml"
    path.write_bytes(mime.as_bytes())
    banner = "=" * 72
    log.warning(
        "\n%s\nOUTBOX (no MAIL_SERVER set) to %s: %s\n\n%s\n(saved as %s)\n%s",
        banner,
        mime["To"],
        mime["Subject"],
        message.text_body.strip(),
        path,
        banner,
    )
