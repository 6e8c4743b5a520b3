"""Rule-set operations: import, export, draft, edit, activate, compare.

Each operation validates first and writes in one transaction, so an invalid rule set is refused
whole and nothing is half-saved. Every change of a version's status is recorded in the history.
"""

import copy
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from core.refusals import DomainRefusedError

from .enums import RuleSetStatus
from .models import Municipality, RuleSetVersion
from .rulebook.validation import (
    RuleSetInvalidError,
    RuleSetProblem,
    document_fingerprint,
    parse_ruleset,
    validate_ruleset,
)

RULESET_DIR = Path(__file__).with_name("rulesets")


class RuleSetLockedError(DomainRefusedError):
    """The version is active, retired or used by a case: it can only be superseded."""


@transaction.atomic
def import_ruleset(document, *, user=None, activate=False, note=""):
    """Store ``document`` as the municipality's newest version, creating the municipality if new.

    Idempotent: a document identical to the newest version stores nothing and returns that
    version. With ``activate`` the version becomes the one in force (the previous is retired).
    Returns ``(version, created)``.
    """
    validate_ruleset(document)
    slug = document["municipality"]["slug"]
    municipality, _created = Municipality.objects.get_or_create(
        slug=slug, defaults={"name": document["municipality"]["name"]}
    )
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    latest = municipality.ruleset_versions.order_by("-number").first()
    if latest and latest.fingerprint == document_fingerprint(document):
        if activate and latest.status == RuleSetStatus.DRAFT:
            latest = activate_version(latest, user=user)
        return latest, False
    version = RuleSetVersion.objects.create(
        municipality=municipality,
        number=(latest.number + 1) if latest else 1,
        document=document,
        note=note,
        created_by=user,
    )
    record(version, "ruleset.created", actor=user, to_state=version.status, reason=note)
    if activate:
        version = activate_version(version, user=user)
    return version, True


def import_ruleset_file(path, **kwargs):
    return import_ruleset(parse_ruleset(Path(path).read_text(encoding="utf-8")), **kwargs)


def load_shipped_rulesets(*, user=None):
    """Load the rule sets that ship with the product and put each in force. Idempotent."""
    results = []
    for path in sorted(RULESET_DIR.glob("*.json")):
        version, created = import_ruleset_file(path, user=user, activate=True, note=_("Levererat regelverk"))
        results.append((version, created))
    return results


def export_ruleset(municipality, number=None):
    """The rule set as JSON text: the version in force, or version ``number``."""
    versions = municipality.ruleset_versions
    version = versions.get(number=number) if number else versions.filter(status=RuleSetStatus.ACTIVE).first()
    if version is None:
        version = versions.order_by("-number").first()
    if version is None:
        raise RuleSetVersion.DoesNotExist(municipality.slug)
    return json.dumps(version.document, ensure_ascii=False, indent=2) + "\n"


@transaction.atomic
def activate_version(version, *, user=None, effective_from=None, reason=""):
    """Put ``version`` in force from ``effective_from`` (default today); retire the one before."""
    Municipality.objects.select_for_update().get(pk=version.municipality_id)
    version = RuleSetVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != RuleSetStatus.DRAFT:
        raise RuleSetLockedError(_("Bara ett utkast kan sättas i kraft."))
    validate_ruleset(version.document)
    for previous in RuleSetVersion.objects.select_for_update().filter(
        municipality_id=version.municipality_id, status=RuleSetStatus.ACTIVE
    ):
        previous.status = RuleSetStatus.RETIRED
        previous.save(update_fields=["status"])
        record(
            previous,
            "ruleset.retired",
            actor=user,
            from_state=RuleSetStatus.ACTIVE,
            to_state=RuleSetStatus.RETIRED,
            reason=_("Ersatt av version %(number)s") % {"number": version.number},
        )
    version.status = RuleSetStatus.ACTIVE
    version.effective_from = effective_from or timezone.localdate()
    version.save(update_fields=["status", "effective_from"])
    record(
        version,
        "ruleset.activated",
        actor=user,
        from_state=RuleSetStatus.DRAFT,
        to_state=RuleSetStatus.ACTIVE,
        reason=reason,
    )
    return version


@transaction.atomic
def create_draft(source, *, user=None, note=""):
    """A new draft version, a copy of ``source``, to edit and later put in force."""
    municipality = Municipality.objects.select_for_update().get(pk=source.municipality_id)
    number = (municipality.ruleset_versions.aggregate(Max("number"))["number__max"] or 0) + 1
    draft = RuleSetVersion.objects.create(
        municipality=municipality, number=number, document=copy.deepcopy(source.document), note=note, created_by=user
    )
    record(
        draft,
        "ruleset.created",
        actor=user,
        to_state=RuleSetStatus.DRAFT,
        reason=note or _("Utkast från version %(number)s") % {"number": source.number},
    )
    return draft


@transaction.atomic
def update_draft(version, document, *, user=None, note=""):
    """Replace a draft's document. Refused for a version in force, retired or used by a case,
    and for a document that names another municipality."""
    version = RuleSetVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_editable:
        raise RuleSetLockedError(_("Versionen används eller är fastställd och kan bara ersättas av en ny version."))
    validate_ruleset(document)
    if document["municipality"]["slug"] != version.municipality.slug:
        raise RuleSetInvalidError(
            [RuleSetProblem("municipality.slug", _("ska vara %(slug)s") % {"slug": version.municipality.slug})]
        )
    changes = diff_documents(version.document, document)
    version.document = document
    version.note = note or version.note
    version.save()
    record(version, "ruleset.edited", actor=user, reason=note, data={"changed_paths": [c.path for c in changes]})
    return version


@dataclass(frozen=True)
class Change:
    path: str
    kind: str  # "added", "removed" or "changed"
    old: object = None
    new: object = None


def _flatten(node, prefix=""):
    if isinstance(node, dict):
        items = {}
        for key, value in node.items():
            items.update(_flatten(value, f"{prefix}.{key}" if prefix else key))
        return items
    if isinstance(node, list) and any(isinstance(item, (dict, list)) for item in node):
        items = {}
        for index, value in enumerate(node):
            label = value.get("key") if isinstance(value, dict) and "key" in value else index
            items.update(_flatten(value, f"{prefix}[{label}]"))
        return items
    return {prefix: node}


def diff_documents(old, new):
    """The leaf-level differences between two rule-set documents, in path order. List items
    with a ``key`` are matched by key, so reordering sections reads as little change."""
    before, after = _flatten(old), _flatten(new)
    changes = []
    for path in sorted(before.keys() | after.keys()):
        if path not in after:
            changes.append(Change(path, "removed", old=before[path]))
        elif path not in before:
            changes.append(Change(path, "added", new=after[path]))
        elif before[path] != after[path]:
            changes.append(Change(path, "changed", old=before[path], new=after[path]))
    return changes


class UnitHeadRefusedError(DomainRefusedError):
    """A designation of a unit's head or deputies was refused."""


@transaction.atomic
def designate_unit_head(unit, user, *, head, deputies):
    """Designate the person who signs for ``unit`` (its head) and the named deputies who may sign
    in the head's place. Only the municipality's admin (or a system admin) may; every person must
    belong to the unit's municipality, and the head is not also a deputy. Side effect: the
    designation, with who had it before, is written to the unit's history."""
    from .models import OrganisationalUnit

    unit = OrganisationalUnit.objects.select_for_update().get(pk=unit.pk)
    if not user.has_perm("municipalities.administer", unit.municipality):
        raise UnitHeadRefusedError(_("Bara kommunens administratör kan utse chefer och ersättare."))
    deputies = list(deputies)
    if head is not None and head.municipality_id != unit.municipality_id:
        raise UnitHeadRefusedError(
            _("%(person)s är inte anställd i %(municipality)s.") % {"person": head, "municipality": unit.municipality},
            "head",
        )
    strangers = [person for person in deputies if person.municipality_id != unit.municipality_id]
    if strangers:
        raise UnitHeadRefusedError(
            _("%(people)s är inte anställd i %(municipality)s.")
            % {"people": ", ".join(str(p) for p in strangers), "municipality": unit.municipality},
            "deputies",
        )
    if head is not None and head in deputies:
        raise UnitHeadRefusedError(_("Chefen kan inte också vara sin egen ersättare."), "deputies")
    before = {"head": str(unit.head or ""), "deputies": sorted(str(p) for p in unit.deputies.all())}
    unit.head = head
    unit.save(update_fields=["head"])
    unit.deputies.set(deputies)
    after = {"head": str(head or ""), "deputies": sorted(str(p) for p in deputies)}
    record(unit, "unit.head_designated", actor=user, data={"unit": unit.name, "before": before, "after": after})
    return unit
