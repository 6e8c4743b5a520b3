"""Signatures on the application: signed in Fonden by a unit's head or deputy, or recorded from
paper for a partner; voided by any later change.
"""

import os

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from core.uploads import upload_problem
from notifications.models import NotificationKind
from notifications.services import notify

from ..models import Case, Signature, SignatureMethod
from ..rules import is_case_participant
from ..selectors import SIGNATURES_REQUESTED
from ..signatures import (
    SIGNABLE_STATES,
    changed_parts,
    content_fingerprint,
    may_record_paper_signature,
    may_sign,
    required_signatures,
    signed_content,
    signer_capacity,
    unit_of,
)
from ..signatures import missing_signatures as missing_signatures_of
from . import TransitionRefusedError, lock_case
from .steps import approve_signed_steps


class SignatureRefusedError(TransitionRefusedError):
    """A signature was refused; ``field`` names the form field the reason belongs to, if any."""


def _signed_content(case):
    return signed_content(Case.objects.get(pk=case.pk))


def signed_content_if_signed(case):
    """What the valid signatures cover, read before a change; None if nothing is signed."""
    return _signed_content(case) if case.signatures.filter(voided_at__isnull=True).exists() else None


def void_signatures_after_change(case, user, before):
    """Any change after signing voids every signature: content, costs, participants or
    attachments. ``before`` is ``signed_content`` from before the change (None: nothing was
    signed). The voided signatures stay visible with the reason; each voiding is in the history
    and the signers are told. Returns the voided signatures."""
    if before is None or case.state not in SIGNABLE_STATES:
        # Once decided, the application is the one signed and snapshotted: later follow-up work
        # (the mätplan completed at the project's start) does not reopen it.
        return []
    parts = changed_parts(before, _signed_content(case))
    if not parts:
        return []
    reason = _("Ansökan ändrades efter underskriften: %(parts)s.") % {"parts": ", ".join(parts)}
    voided = list(case.signatures.filter(voided_at__isnull=True).select_related("signer"))
    url = reverse("applications:detail", args=[case.pk])
    for signature in voided:
        signature.voided_at = timezone.now()
        signature.void_reason = reason
        signature.save(update_fields=["voided_at", "void_reason"])
        record(
            case,
            "case.signature_voided",
            actor=user,
            reason=reason,
            data={"signed_for": signature.signed_for, "signer": signature.signatory, "changed": parts},
        )
        if signature.signer and signature.signer != user:
            text = _("Din underskrift på %(case)s för %(unit)s är ogiltig: %(reason)s Skriv under igen.") % {
                "case": case,
                "unit": signature.signed_for,
                "reason": reason,
            }
            notify(signature.signer, NotificationKind.SIGNATURE_REQUESTED, text, case=case, url=url)
    return voided


@transaction.atomic
def request_signatures(case, user):
    """Ask the designated head and the named deputies of each unit whose signature is missing to
    sign. A partner signs on paper, so it is not asked here. Returns who was asked.

    Side effects: the history records the request (the heads are waited on from then on); each
    head and deputy is notified."""
    if not is_case_participant(user, case):
        raise TransitionRefusedError(_("Bara sökande i ärendet kan be om underskrifter."))
    asked = []
    url = reverse("applications:detail", args=[case.pk])
    units = [requirement for requirement in missing_signatures_of(case) if requirement.unit_id]
    if units:
        # From now on the heads are waited on ("Väntar på dig"), as the applicant has said the
        # application is ready to sign.
        record(
            case,
            SIGNATURES_REQUESTED,
            actor=user,
            data={"signed_for": [requirement.signed_for for requirement in units]},
        )
    for requirement in units:
        unit = unit_of(requirement)
        signers = [person for person in [unit.head, *unit.deputies.all()] if person is not None]
        for head in dict.fromkeys(signers):
            if head == user or not head.is_active:
                continue
            text = _("%(user)s ber dig skriva under ansökan %(case)s för %(unit)s.") % {
                "user": user,
                "case": case,
                "unit": requirement.signed_for,
            }
            notify(head, NotificationKind.SIGNATURE_REQUESTED, text, case=case, url=url)
            asked.append(head)
    return asked


def _requirement(case, requirement_key):
    requirement = next((r for r in required_signatures(case) if r.key == requirement_key), None)
    if requirement is None:
        raise TransitionRefusedError(_("Regelverket kräver ingen sådan underskrift i det här ärendet."))
    return requirement


@transaction.atomic
def sign(case, requirement_key, user):
    """Sign the application as it reads now, for the unit of ``requirement_key``, as the unit's
    designated head ("förvaltningschef för X") or a named deputy ("ersättare för
    förvaltningschefen för X"). Refused for anyone else, and for a partner (see
    ``record_paper_signature``)."""
    case = lock_case(case)
    requirement = _requirement(case, requirement_key)
    allowed, reason = may_sign(case, requirement, user)
    if not allowed:
        raise TransitionRefusedError(reason)
    signature = Signature.objects.create(
        case=case,
        requirement=requirement.key,
        signed_for=requirement.signed_for,
        signer=user,
        signer_capacity=signer_capacity(requirement, unit_of(requirement), user),
        fingerprint=content_fingerprint(case),
    )
    record(
        case,
        "case.signed",
        actor=user,
        data={
            "signed_for": signature.signed_for,
            "fingerprint": signature.fingerprint,
            "capacity": signature.signer_capacity,
        },
    )
    approve_signed_steps(case)
    return signature


def recorder_capacity(user, municipality):
    """How a municipal employee who records a paper signature is named: their title, or their
    employment."""
    if user.title:
        return _("%(title)s, %(municipality)s") % {"title": user.title, "municipality": municipality}
    return _("anställd i %(municipality)s") % {"municipality": municipality}


@transaction.atomic
def record_paper_signature(case, requirement_key, user, *, signatory_name, signatory_title, signed_on, document):
    """Record a partner's signature given on paper: the signed application as a PDF, who signed
    it for the partner and when. Marked so ("undertecknad på papper, registrerad av X"): the
    municipal employee who records it never appears as the partner's signatory. Refused (nothing
    written) for a unit, for someone who neither takes part in the case nor prepares it, without
    a name, with a date in the future, or without a PDF."""
    case = lock_case(case)
    requirement = _requirement(case, requirement_key)
    allowed, reason = may_record_paper_signature(case, requirement, user)
    if not allowed:
        raise TransitionRefusedError(reason)
    if not signatory_name.strip():
        raise SignatureRefusedError(
            _("Ange vem hos %(actor)s som skrev under.") % {"actor": requirement.signed_for}, "signatory_name"
        )
    if signed_on is None or signed_on > timezone.localdate():
        raise SignatureRefusedError(
            _("Ange dagen då ansökan undertecknades (inte ett senare datum än i dag)."), "signed_on"
        )
    if signed_on < timezone.localtime(case.created_at).date():
        raise SignatureRefusedError(
            _("Ansökan skapades %(created)s; den kan inte ha undertecknats före det.")
            % {"created": timezone.localtime(case.created_at).date().isoformat()},
            "signed_on",
        )
    if document is None or os.path.splitext(document.name)[1].lower() != ".pdf":
        raise SignatureRefusedError(_("Ladda upp den undertecknade ansökan som PDF."), "document")
    problem = upload_problem(document)
    if problem:
        raise SignatureRefusedError(problem, "document")
    title = signatory_title.strip()
    signature = Signature.objects.create(
        case=case,
        requirement=requirement.key,
        signed_for=requirement.signed_for,
        method=SignatureMethod.PAPER,
        signer=None,
        signer_capacity=(_("%(title)s för %(actor)s") % {"title": title, "actor": requirement.signed_for})
        if title
        else (_("för %(actor)s") % {"actor": requirement.signed_for}),
        signatory_name=signatory_name.strip(),
        signed_on=signed_on,
        document=document,
        recorded_by=user,
        recorded_by_capacity=recorder_capacity(user, case.municipality),
        fingerprint=content_fingerprint(case),
    )
    record(
        case,
        "case.signed_on_paper",
        actor=user,
        data={
            "signed_for": signature.signed_for,
            "signatory": signature.signatory_name,
            "capacity": signature.signer_capacity,
            "signed_on": signed_on.isoformat(),
            "file": os.path.basename(signature.document.name),
            "fingerprint": signature.fingerprint,
        },
    )
    return signature
