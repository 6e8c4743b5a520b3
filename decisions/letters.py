"""Sending the decision letter (expediering): to the applicant and to the head of every
participating unit, each by e-mail in their language with the issued letter's PDF attached.

The letter is issued (rendered and stored) with the decision's documents; sending it is a task
queued once that has committed, reading the stored PDF (an issued document is never rendered
again). Each sent e-mail is recorded in the case's history as *expedierat*: by whom (who issued
the letter), when and to whom. A mail server that is down leaves the dispatch unsent with its
error, which the case page shows; the beat-scheduled ``resend_unsent_letters`` tries again, and the
preparing group may try again at once (``resend_letter``).
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.recipients import decision_letter_recipients
from applications.services import TransitionRefusedError
from audit.services import record

from .models import DocumentKind, LetterDispatch
from .rules import RESEND_LETTER

logger = logging.getLogger(__name__)
# An unsent letter is tried again for this long; after that the case page keeps saying it failed.
RESEND_WITHIN = datetime.timedelta(days=7)


class LetterRefusedError(TransitionRefusedError):
    """Sending the letter again was refused; the message says why."""


@transaction.atomic
def dispatch_letter(document, user):
    """Address the issued decision letter to the case's applicant and its units' heads (those with
    an e-mail address) and queue sending it once the transaction commits. ``user`` issued it and
    is recorded as the one who expedited it. Returns the dispatches."""
    if document.kind != DocumentKind.LETTER or document.case is None:
        raise LetterRefusedError(_("Bara ett beslutsbrev i ett ärende skickas till de sökande."))
    dispatches = [
        LetterDispatch.objects.get_or_create(
            letter=document,
            recipient=person,
            defaults={
                "case": document.case,
                "recipient_name": str(person),
                "email": person.email,
                "requested_by": user,
            },
        )[0]
        for person in decision_letter_recipients(document.case)
    ]
    transaction.on_commit(lambda: _queue(document.pk))
    return dispatches


def _queue(document_id):
    from .tasks import send_decision_letter

    send_decision_letter.delay(document_id)


def send_letter(document_id):
    """Send each unsent dispatch of the letter. Returns how many were sent now."""
    pending = LetterDispatch.objects.filter(letter_id=document_id, sent_at__isnull=True).values_list("pk", flat=True)
    return sum(send_dispatch(pk) for pk in pending)


def send_dispatch(dispatch_id):
    """Send one dispatch's e-mail, once: one already sent is not sent again. Returns True if it
    was sent now. Side effects: the dispatch's attempt (and error, or time sent) and, once sent,
    the history entry "Beslutsbrev expedierat" on the case."""
    with transaction.atomic():
        dispatch = (
            LetterDispatch.objects.select_for_update(of=("self",))
            .select_related("letter", "case", "recipient", "requested_by")
            .filter(pk=dispatch_id)
            .first()
        )
        if dispatch is None or dispatch.sent_at is not None:
            return False
        dispatch.attempts += 1
        try:
            _letter_email(dispatch).send()
        except (smtplib.SMTPException, OSError) as error:
            logger.warning("Decision letter dispatch %s not sent: %s", dispatch_id, error)
            dispatch.last_error = str(error)[:300]
            dispatch.save(update_fields=["attempts", "last_error"])
            return False
        dispatch.sent_at = timezone.now()
        dispatch.last_error = ""
        dispatch.save(update_fields=["attempts", "sent_at", "last_error"])
        with translation.override(settings.LANGUAGE_CODE):  # the history is kept in Swedish
            to_whom = _("till %(name)s <%(email)s> med e-post, %(document)s (PDF) bifogad") % {
                "name": dispatch.recipient_name,
                "email": dispatch.email,
                "document": dispatch.letter.title,
            }
        record(
            dispatch.case,
            "decision.letter_sent",
            actor=dispatch.requested_by,
            reason=to_whom,
            data={
                "to": dispatch.recipient_name,
                "email": dispatch.email,
                "document": dispatch.letter.title,
                "sha256": dispatch.letter.sha256,
            },
        )
        return True


def _letter_email(dispatch):
    """The e-mail, in the recipient's language, with the letter as issued attached."""
    letter, case = dispatch.letter, dispatch.case
    with translation.override(dispatch.recipient.language or settings.LANGUAGE_CODE):
        subject = _("Beslut i ärende %(case)s") % {"case": case.number or case.title}
        body = render_to_string(
            "decisions/email/letter.txt",
            {
                "dispatch": dispatch,
                "case": case,
                "decision": letter.decision,
                "case_url": f"{settings.SITE_URL}{reverse('applications:detail', args=[case.pk])}",
            },
        )
    message = EmailMessage(subject, body, None, [dispatch.email])
    message.attach(letter.filename, bytes(letter.content), "application/pdf")
    return message


def resend_unsent_letters(now=None):
    """Beat-scheduled: try again every letter of the last ``RESEND_WITHIN`` not yet sent (the mail
    server was down). Returns how many were sent now."""
    now = now or timezone.now()
    unsent = LetterDispatch.objects.filter(sent_at__isnull=True, created_at__gte=now - RESEND_WITHIN)
    return sum(send_dispatch(pk) for pk in unsent.values_list("pk", flat=True))


def resend_letter(document, user):
    """Send the letter's unsent dispatches now, for the preparing group or the decision body
    (``decisions.resend_letter``). Refused (with why) for anyone else, and when everything has
    gone out. Returns how many were sent."""
    allowed, reason = RESEND_LETTER.check(user, document.case)
    if not allowed:
        raise LetterRefusedError(reason)
    if not document.dispatches.filter(sent_at__isnull=True).exists():
        raise LetterRefusedError(_("Beslutsbrevet är redan expedierat till alla mottagare."))
    return send_letter(document.pk)
