"""Telling people what a case now waits for, and what happened to it, once each change has
committed.

Every change of a case writes its history (``audit.services.record``), so the history is where a
change is noticed: each entry on a case, and each transition, calls ``watch_case``. That queues one
``notify_case_changes`` per case for when the transaction commits (rolled back, nothing is told),
in a task. It then:

- tells the case's applicants its outcome (idea approved or rejected, granted, rejected, aborted,
  extended, evaluated, implemented) and the roles the rule set keeps informed of the stage
  (``stages.<stage>.informed_roles``: Sundsvall's PLU follows every project) each of its events;
- computes the case's waits (``selectors.waiting_for``, with whatever the apps above register) and
  tells each person behind a wait (``recipients.people_waited_on``) of the waits not told to them
  before (``WaitNotice``). A wait is told once; when the case stops waiting for it the record
  goes, so the same wait coming back after a later change is told anew.

Whoever made the change, or was already told of it by a notification of its own (the report's
receiver, the applicants of a returned application), is not told again. Each text is in the
person's language and links to where they act. How it reaches them (e-mail now, a daily digest or
only in Fonden) is their choice per kind (``notifications``).
"""

import hashlib
import threading
from contextlib import contextmanager

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from audit.labels import action_label
from audit.models import AuditEntry
from notifications.models import Notification, NotificationKind
from notifications.services import notify, notify_each

from ..enums import CLOSED_STATES, RUNNING_STATES, STAGE_BEGUN_BY_STATE, CaseState
from ..models import Case, WaitNotice
from ..recipients import case_applicants, decision_letter_recipients, people_waited_on, stage_followers
from ..selectors import CASE_WAIT_PREFETCHES, SIGNATURE_PREFETCHES, WaitKind, case_url, waiting_for

S = CaseState

# The transitions whose outcome the applicants are told, and as what kind of notification.
OUTCOME_KINDS = {
    "approve_idea": NotificationKind.CASE_DECIDED,
    "reject_idea": NotificationKind.CASE_DECIDED,
    "grant": NotificationKind.CASE_DECIDED,
    "reject": NotificationKind.CASE_DECIDED,
    "abort": NotificationKind.CASE_DECIDED,
    "continue_project": NotificationKind.CASE_DECIDED,
    "extend": NotificationKind.CASE_DECIDED,
    "evaluate": NotificationKind.CASE_EVALUATED,
    "implement": NotificationKind.CASE_DECIDED,
    "implement_partly": NotificationKind.CASE_DECIDED,
    "decline_implementation": NotificationKind.CASE_DECIDED,
}
DRAFT_STATES = [S.IDEA_DRAFT, S.DRAFT]
# Decisions whose letter is e-mailed to the applicant and the units' heads (decisions app): they
# get the news in Fonden only, the letter being their e-mail.
LETTER_TRANSITIONS = {"grant", "reject"}

OUTCOME_TEXT = gettext_lazy("%(case)s har fått status ”%(state)s”.")
FOLLOWED_STATE_TEXT = gettext_lazy("För kännedom: %(case)s har fått status ”%(state)s”.")
FOLLOWED_EVENT_TEXT = gettext_lazy("För kännedom: %(case)s: %(event)s.")
WAIT_TEXT = gettext_lazy("%(case)s väntar på dig: %(reasons)s")


# ---- Noticing a change -------------------------------------------------------------------------
class CaseChange:
    """What one transaction changed on one case, told once it commits (an on_commit callback).
    ``since`` is when the change began: notifications about the case made since then belong to it.
    ``events`` are the transitions and decisions to announce (primitive dicts, for the task)."""

    def __init__(self, case_id, since, events):
        self.case_id = case_id
        self.since = since
        self.events = events

    def __call__(self):
        from ..tasks import notify_case_changes as task

        task.delay(self.case_id, since=self.since.isoformat(), events=self.events)


def _queued_change(case_id):
    """The change of this case already queued in this transaction at a level still open, so that
    it runs whenever this one does: one look at the case per commit, however many entries the
    change writes in its history. None outside a transaction."""
    if not connection.in_atomic_block:
        return None
    open_levels = set(connection.savepoint_ids)
    for levels, func, *_robust in connection.run_on_commit:
        if isinstance(func, CaseChange) and func.case_id == case_id and levels <= open_levels:
            return func
    return None


_held = threading.local()


@contextmanager
def held_back():
    """Tell nothing of the changes made inside (a demo walking months of history in one go would
    flood its people with old news); the caller tells the waits they leave afterwards with
    ``notify_open_waits``."""
    _held.depth = getattr(_held, "depth", 0) + 1
    try:
        yield
    finally:
        _held.depth -= 1


def watch_case(case_id, *, event=None, since=None):
    """Queue telling what this change leaves the case waiting for, and ``event`` (a dict made by
    ``transition_event`` or ``case_event``), once the transaction commits; at once outside one.
    ``since``: when the change began, if before now (the history entry that tells of it)."""
    if getattr(_held, "depth", 0):
        return
    since = since or timezone.now()
    change = _queued_change(case_id)
    if change is not None:
        change.since = min(change.since, since)
        if event:
            change.events.append(event)
        return
    transaction.on_commit(CaseChange(case_id, since, [event] if event else []), robust=True)


def transition_event(case, details, user):
    return {
        "transition": details.name,
        "to_state": case.state,
        "stage": details.stage,
        "action": details.audit_action,
        "actor": user.pk if user is not None else None,
    }


def case_event(*, stage, action, user):
    """An event that is not a transition (a design change decided), told to the stage's followers."""
    return {"transition": "", "to_state": "", "stage": stage, "action": action, "actor": user.pk if user else None}


def announce_case_event(case, *, stage, action, user):
    """Tell those the rule set keeps informed of ``stage`` of an event recorded as ``action``."""
    watch_case(case.pk, event=case_event(stage=stage, action=action, user=user))


def watch_audit_entry(sender, instance, created, **kwargs):
    """post_save of AuditEntry: an entry in a case's history is a change of the case."""
    if created and instance.content_type_id == _case_type_id():
        watch_case(int(instance.object_id), since=instance.at)


def _case_type_id():
    return ContentType.objects.get_for_model(Case).pk  # cached by Django after the first read


# ---- Telling it --------------------------------------------------------------------------------
def _case_with_waits(case_id):
    return (
        Case.objects.select_related("municipality", "created_by", "applicant_unit__parent__parent")
        .prefetch_related("ruleset_version", "steps__unit", "evaluations", *CASE_WAIT_PREFETCHES, *SIGNATURE_PREFETCHES)
        .filter(pk=case_id)
        .first()
    )


@transaction.atomic
def notify_case_changes(case_id, *, since=None, events=()):
    """Tell what happened to the case (``events``) and what it now waits for, as the module says.
    ``since``: when the change began; the people who made it, and those told of the case by a
    notification since then, are not told again. Side effects: Notification rows (and their
    e-mails, after commit), WaitNotice rows added and removed. Returns the notifications made."""
    # One telling per case at a time: two workers never tell the same new wait twice.
    list(Case.objects.select_for_update().filter(pk=case_id).values_list("pk", flat=True))
    case = _case_with_waits(case_id)
    if case is None:
        return []
    told = set()
    if since is not None:
        told |= set(
            Notification.objects.filter(case=case, created_at__gte=since).values_list("recipient_id", flat=True)
        )
        entries = AuditEntry.objects.for_object(case).filter(at__gte=since, actor__isnull=False)
        told |= set(entries.values_list("actor_id", flat=True))
    notifications = []
    for event in events:
        if since is None or _happened(case, event, since):
            notifications += _announce(case, event, told)
    notifications += _notify_waits(case, told)
    return notifications


def _happened(case, event, since):
    """Whether the event is in the case's history: a transition whose part of the transaction
    was rolled back while the rest committed is not told."""
    return AuditEntry.objects.for_object(case).filter(action=event.get("action", ""), at__gte=since).exists()


def _announce(case, event, told):
    """Tell the applicants the case's outcome and the stage's followers the event. ``told`` grows
    with them, so no one hears of one change twice."""
    actor = event.get("actor")
    state = CaseState(event["to_state"]).label if event.get("to_state") else ""
    made = []
    kind = OUTCOME_KINDS.get(event.get("transition"))
    if kind:
        letter = (
            {p.pk for p in decision_letter_recipients(case)} if event["transition"] in LETTER_TRANSITIONS else set()
        )
        anchor = "h-decisions" if kind == NotificationKind.CASE_DECIDED else ""
        for person in case_applicants(case):
            if person.pk == actor or person.pk in told:
                continue
            told.add(person.pk)
            made += notify_each(
                [person],
                kind,
                OUTCOME_TEXT,
                {"case": case, "state": state},
                case=case,
                url=case_url(case, anchor),
                email=person.pk not in letter,
            )
    followers = [p for p in stage_followers(case, event.get("stage")) if p.pk != actor and p.pk not in told]
    told.update(p.pk for p in followers)
    if state:
        message, values = FOLLOWED_STATE_TEXT, {"case": case, "state": state}
    else:
        message, values = FOLLOWED_EVENT_TEXT, {"case": case, "event": action_label(event.get("action", ""))}
    made += notify_each(followers, NotificationKind.CASE_FOLLOWED, message, values, case=case, url=case_url(case))
    return made


def wait_key(waiting):
    """A wait's identity, whatever the language: its role, unit and reason as the default language
    words it (``waiting`` read in that language)."""
    return hashlib.sha256(f"{waiting.role}|{waiting.unit_id or ''}|{waiting.reason}".encode()).hexdigest()


def _waits_in(case, language):
    with translation.override(language):
        return waiting_for(case)


def _notify_waits(case, told):
    """Tell each person behind a wait of the case the waits they have not been told: one
    notification per person, listing their new waits. The waits the case no longer has are
    forgotten, so they are told anew if they come back."""
    # A draft waits for its own writers, who know: it is not told.
    waits = [] if case.state in DRAFT_STATES else _waits_in(case, settings.LANGUAGE_CODE)
    keys = [wait_key(waiting) for waiting in waits]
    WaitNotice.objects.filter(case=case).exclude(key__in=keys).delete()
    known = set(WaitNotice.objects.filter(case=case).values_list("key", "user_id"))
    new = {}  # person -> [index of each wait new to them]
    people = {}
    for index, (waiting, key) in enumerate(zip(waits, keys, strict=True)):
        for person in people_waited_on(case, waiting):
            if (key, person.pk) not in known:
                known.add((key, person.pk))
                people[person.pk] = person
                new.setdefault(person.pk, []).append(index)
    WaitNotice.objects.bulk_create(
        WaitNotice(case=case, key=keys[index], user_id=pk) for pk, indexes in new.items() for index in indexes
    )
    in_language = {settings.LANGUAGE_CODE: waits}
    made = []
    for pk, indexes in new.items():
        if pk in told:
            continue
        person = people[pk]
        language = person.language or settings.LANGUAGE_CODE
        if language not in in_language:
            in_language[language] = _waits_in(case, language)
        first = waits[indexes[0]]
        with translation.override(language):
            reasons = " ".join(str(in_language[language][index].reason) for index in indexes)
            text = str(WAIT_TEXT) % {"case": case, "reasons": reasons}
        made.append(notify(person, wait_kind(case, first), text, case=case, url=wait_url(case, first)))
    return made


# The kind of notification each kind of wait is told as (each person chooses per kind how it
# reaches them); a wait on the case's state is told by what the state is.
KIND_OF_WAIT = {
    WaitKind.STEP: NotificationKind.STEP_ASSIGNED,
    WaitKind.SIGNATURE: NotificationKind.SIGNATURE_REQUESTED,
    WaitKind.REPORT: NotificationKind.REPORT_DUE,
    WaitKind.REPORT_REVIEW: NotificationKind.REPORT_SUBMITTED,
    WaitKind.CONSULTATION: NotificationKind.CONSULTATION_REQUESTED,
    WaitKind.REVIEW: NotificationKind.REVIEWER_ASSIGNED,
}
KIND_OF_STATE = {
    S.IDEA_SUBMITTED: NotificationKind.CASE_SUBMITTED,
    S.SUBMITTED: NotificationKind.CASE_SUBMITTED,
    S.RESUBMITTED: NotificationKind.CASE_SUBMITTED,
    S.RETURNED: NotificationKind.CASE_RETURNED,
    S.READY_FOR_DECISION: NotificationKind.READY_FOR_DECISION,
}


def wait_kind(case, waiting):
    """The kind of notification a wait is told as. A head signs, also where the signature is a
    step of the stage."""
    if waiting.signs_for_unit:
        return NotificationKind.SIGNATURE_REQUESTED
    if waiting.kind in KIND_OF_WAIT:
        return KIND_OF_WAIT[waiting.kind]
    if case.state in KIND_OF_STATE:
        return KIND_OF_STATE[case.state]
    if case.state in [*RUNNING_STATES, S.FINAL_REPORT] and waiting.people:
        return NotificationKind.REPORT_DUE
    if _has_pending_steps(case):
        return NotificationKind.STEP_ASSIGNED
    return NotificationKind.CASE_WAITING


def wait_url(case, waiting):
    """Where the people waited on act: the wait's own place (a report's page, the case page's
    steps or signatures); for a wait on the case as a whole, the part of the case page where it
    is done: the decision form, the stage's steps or the next step. A head signs under the
    signatures, also where the signature is a step of the stage."""
    if waiting.signs_for_unit:
        return case_url(case, "h-signatures")
    if waiting.url and waiting.url != case_url(case):
        return waiting.url
    if case.state == S.READY_FOR_DECISION:
        return case_url(case, "h-decisions")
    if _has_pending_steps(case):
        return case_url(case, f"h-steps-{STAGE_BEGUN_BY_STATE[case.state]}")
    return case_url(case, "h-next")


def _has_pending_steps(case):
    """Whether the stage the case is in waits for its steps (then its waits are steps' turns)."""
    stage = STAGE_BEGUN_BY_STATE.get(case.state)
    return bool(stage) and any(step.blocks for step in case.current_steps(stage))


# ---- Waits that come with time -----------------------------------------------------------------
def notify_open_waits():
    """Beat-scheduled daily: tell the waits that came with the date rather than with a change (a
    report whose period has ended), on every open case that has been handed in. Idempotent: a
    wait already told is not told again. Returns the number of notifications made."""
    cases = Case.objects.exclude(state__in=[*CLOSED_STATES, *DRAFT_STATES]).order_by("pk").values_list("pk", flat=True)
    return sum(len(notify_case_changes(pk)) for pk in cases)
