"""Emailing a client their intake link before the first appointment.

The address is typed by the desk when sending and never stored; the audit log records
that a link was sent, not where. The message says who sends it (the practice's name) and
what to do, in the client's language, and nothing clinical: no therapist, no reason for
coming, not even the word therapy in the subject, since others may read a client's
mailbox.

INTAKE_SMTP_URL says where to send from: `smtp://user:password@host:587/?from=desk@example.org`
(STARTTLS when the server offers it), `smtps://...:465/...` (TLS from the start), or
`smtp://host:25/?from=...` without a login.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..infra.database import write_transaction
from ..models import Client, Practice
from . import audit, checkins, clients

TIMEOUT = 15


class MailError(RuntimeError):
    """The message could not be sent; nothing was kept."""


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    tls: bool = False  # TLS from the first byte (smtps); else STARTTLS when offered

    @classmethod
    def from_url(cls, url: str) -> Server:
        """Read INTAKE_SMTP_URL; refuse one without a host or a sender."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise MailError("INTAKE_SMTP_URL must look like smtp://user:password@host:587/"
                            "?from=desk@example.org")
        sender = parse_qs(parts.query).get("from", [""])[0]
        if "@" not in sender:
            raise MailError("INTAKE_SMTP_URL needs ?from=ADDRESS, the address mail comes from")
        tls = parts.scheme == "smtps"
        return cls(parts.hostname, parts.port or (465 if tls else 25), sender,
                   unquote(parts.username) if parts.username else None,
                   unquote(parts.password) if parts.password else None, tls)


def intake_message(practice_name: str, address: str, link: str, expires_at, locale: str,
                   sender: str) -> EmailMessage:
    """Return the email that carries the intake link, written in the client's language."""
    with force_locale(locale):
        subject = _("Your link from %(practice)s", practice=practice_name)
        body = "\n\n".join([
            _("Hello,"),
            _("%(practice)s invites you to answer a few questions before your first "
              "appointment. It takes about ten minutes, on your phone or computer. You can "
              "skip any question.", practice=practice_name),
            link,
            _("The link works once and until %(time)s.",
              time=format_datetime(expires_at, "long")),
            _("If you did not expect this message, you can ignore it."),
            practice_name,
        ])
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = formataddr((practice_name, sender))
    message["To"] = address
    message["Message-ID"] = make_msgid(domain=sender.partition("@")[2] or None)
    message["Content-Language"] = locale.replace("_", "-")
    message.set_content(body + "\n")
    return message


def send(server: Server, message: EmailMessage) -> None:
    """Hand the message to the SMTP server; raise MailError when it cannot be."""
    try:
        if server.tls:
            connection = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT,
                                          context=ssl.create_default_context())
        else:
            connection = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
        with connection:
            connection.ehlo()
            if not server.tls and connection.has_extn("starttls"):
                connection.starttls(context=ssl.create_default_context())
                connection.ehlo()
            if server.user:
                connection.login(server.user, server.password or "")
            connection.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(type(error).__name__) from error


def record_sent(session, actor_id: int | None, client_id: int, check_in_id: int) -> None:
    """Audit that a link was emailed: who, for which client; never the address."""
    audit.add(session, "check_in.emailed", actor_id, client_id, f"check_in_id={check_in_id}")


def email_intake_link(client_id: int, address: str, actor_id: int | None, lifetime,
                      smtp_url: str, link_for) -> None:
    """Make an intake check-in for a client and email its link; cancel it if sending fails.

    `link_for(check_in)` returns the phone link (the caller knows the app's address).
    """
    server = Server.from_url(smtp_url)
    client = db.session.get(Client, client_id)
    if client is None:
        raise MailError("unknown client")
    practice_name, keep = db.session.execute(
        select(Practice.name, Practice.keep_client_email).order_by(Practice.id).limit(1)
    ).first() or ("", False)
    check_in = checkins.create_check_in(client_id, "intake", lifetime, created_by_id=actor_id)
    message = intake_message(practice_name or "", address, link_for(check_in),
                             check_in.expires_at, client.locale, server.sender)
    try:
        send(server, message)
    except MailError:
        checkins.cancel(check_in.id, actor_id)
        raise
    with write_transaction() as session:
        record_sent(session, actor_id, client_id, check_in.id)
        if keep:  # the practice's choice; otherwise the address is gone with this request
            clients.keep_email(session, client_id, address)
