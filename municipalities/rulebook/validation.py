"""Validate a rule-set document: the JSON schema first, then the rules a schema cannot state.

Every problem names the field (a dotted path such as ``application.duration_months.max``) and the
reason, in Swedish, so an admin can find and fix it.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

SCHEMA_PATH = Path(__file__).parent.parent / "ruleset.schema.json"


@dataclass(frozen=True)
class RuleSetProblem:
    path: str
    message: str

    def __str__(self):
        return f"{self.path}: {self.message}"


class RuleSetInvalidError(ValueError):
    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


@cache
def schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def format_path(parts):
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or _("(hela regelverket)")


def _schema_message(error):
    """A Swedish message for one jsonschema error."""
    validator = error.validator
    value = error.validator_value
    if validator == "required":
        missing = error.message.split("'")[1]
        return missing, _("fältet saknas men är obligatoriskt")
    if validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return ", ".join(extra), _("okänt fält (stavfel?)")
    instance = json.dumps(error.instance, ensure_ascii=False)
    messages = {
        "type": lambda: _("fel typ: ska vara %(value)s") % {"value": _type_name(value)},
        "enum": lambda: (
            _("ogiltigt värde %(instance)s; tillåtna värden: %(value)s")
            % {"instance": instance, "value": ", ".join(map(str, value))}
        ),
        "const": lambda: _("ska vara %(value)s") % {"value": value},
        "minimum": lambda: _("får inte vara mindre än %(value)s") % {"value": value},
        "maximum": lambda: _("får inte vara större än %(value)s") % {"value": value},
        "exclusiveMinimum": lambda: _("ska vara större än %(value)s") % {"value": value},
        "minLength": lambda: _("får inte vara tomt"),
        "maxLength": lambda: _("får vara högst %(value)s tecken") % {"value": value},
        "minItems": lambda: _("ska ha minst %(value)s element") % {"value": value},
        "uniqueItems": lambda: _("innehåller dubbletter"),
        "pattern": lambda: _("har fel format (%(instance)s)") % {"instance": instance},
        "propertyNames": lambda: _("okänd roll %(instance)s") % {"instance": instance},
    }
    if validator in messages:
        return None, messages[validator]()
    return None, error.message


def _type_name(value):
    names = {
        "object": _("ett objekt"),
        "array": _("en lista"),
        "string": _("en text"),
        "integer": _("ett heltal"),
        "number": _("ett tal"),
        "boolean": _("true eller false"),
    }
    if isinstance(value, list):
        return _(" eller ").join(names.get(v, v) for v in value)
    return names.get(value, value)


def schema_problems(document):
    validator = Draft202012Validator(schema())
    problems = []
    for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
        field, message = _schema_message(error)
        parts = list(error.absolute_path)
        if field:
            parts.append(field)
        problems.append(RuleSetProblem(format_path(parts), message))
    return problems


def _unique_keys(items, path, problems):
    seen = set()
    for index, item in enumerate(items):
        key = item.get("key")
        if key in seen:
            problems.append(RuleSetProblem(f"{path}[{index}].key", _("nyckeln %(key)s används redan") % {"key": key}))
        seen.add(key)


def _check_range(node, path, low, high, problems):
    if node and low in node and high in node and node[low] > node[high]:
        problems.append(
            RuleSetProblem(f"{path}.{low}", _("%(low)s får inte vara större än %(high)s") % {"low": low, "high": high})
        )


def _check_month_day(value, path, problems):
    try:
        datetime.date(2024, int(value[:2]), int(value[3:]))  # 2024: a leap year admits 02-29
    except ValueError:
        problems.append(RuleSetProblem(path, _("%(value)s är inget datum i året") % {"value": value}))


def _check_date(value, path, problems):
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        problems.append(RuleSetProblem(path, _("%(value)s är inget giltigt datum") % {"value": value}))


def _referenced_roles(document):
    """Yield (path, role) for every place the rule set names a role that must act."""
    stages = document["stages"]
    for stage_key, stage in stages.items():  # only the idea and preparation stages have steps
        for index, step in enumerate(stage.get("steps", [])):
            yield f"stages.{stage_key}.steps[{index}].actor_role", step["actor_role"]
        for index, role in enumerate(stage.get("informed_roles", [])):
            yield f"stages.{stage_key}.informed_roles[{index}]", role
    for stage_key, field in (
        ("application", "actor_role"),
        ("decision", "actor_role"),
        ("start", "payout_plan_approved_by"),
        ("abort", "proposed_by"),
        ("abort", "assessed_by"),
        ("abort", "decided_by"),
        ("extension", "decided_by"),
        ("design_change", "decided_by"),
        ("implementation", "actor_role"),
        ("implementation", "proposed_by"),
        ("preparation", "decision_basis_role"),
    ):
        if field in stages.get(stage_key, {}):
            yield f"stages.{stage_key}.{field}", stages[stage_key][field]
    for index, obligation in enumerate(document["reporting"]["obligations"]):
        yield f"reporting.obligations[{index}].receiver_role", obligation["receiver_role"]
        for role_index, role in enumerate(obligation.get("informed_roles", [])):
            yield f"reporting.obligations[{index}].informed_roles[{role_index}]", role
    if "board_informed" in stages["application"]:
        yield "stages.application.board_informed.recorded_by", stages["application"]["board_informed"]["recorded_by"]
    repayment = document["money"]["repayment"]
    if "decided_by" in repayment:
        yield "money.repayment.decided_by", repayment["decided_by"]
    for index, role in enumerate(repayment.get("drafted_by", [])):
        yield f"money.repayment.drafted_by[{index}]", role
    if "prioritised_by" in document["review"]:
        yield "review.prioritised_by.role", document["review"]["prioritised_by"]["role"]
    if "feedback_deadline" in document["calendar"]:
        yield "calendar.feedback_deadline.actor_role", document["calendar"]["feedback_deadline"]["actor_role"]


def _check_roles(document, problems):
    for path, role in _referenced_roles(document):
        if role not in document["bodies"]:
            problems.append(RuleSetProblem(path, _("rollen %(role)s har inget namn under bodies") % {"role": role}))


def _check_step_kinds(steps, path, problems):
    """A step that cannot end in 'nej' (an information step) or need not be done at all (an
    optional step) cannot be a gate: a gate stops the case when it is not passed."""
    for index, step in enumerate(steps):
        if not step.get("gate"):
            continue
        if step.get("kind") == "information":
            problems.append(
                RuleSetProblem(
                    f"{path}[{index}].gate", _("ett informationssteg har inget nej och kan inte vara en grind")
                )
            )
        if step.get("optional"):
            problems.append(
                RuleSetProblem(
                    f"{path}[{index}].gate", _("ett valfritt steg hindrar aldrig och kan inte vara en grind")
                )
            )


def _check_stages(stages, problems):
    if stages["idea"]["enabled"] and not stages["idea"].get("steps"):
        problems.append(RuleSetProblem("stages.idea.steps", _("idéprövningen används men har inga steg")))
    if not stages["preparation"]["steps"]:
        problems.append(RuleSetProblem("stages.preparation.steps", _("beredningen måste ha minst ett steg")))
    for stage_key in ("idea", "preparation"):
        _unique_keys(stages[stage_key].get("steps", []), f"stages.{stage_key}.steps", problems)
        _check_step_kinds(stages[stage_key].get("steps", []), f"stages.{stage_key}.steps", problems)
    for stage_key in ("abort", "extension", "design_change"):
        stage = stages.get(stage_key, {"enabled": False})
        if stage["enabled"] and "decided_by" not in stage:
            problems.append(
                RuleSetProblem(f"stages.{stage_key}.decided_by", _("krävs när steget används (enabled är true)"))
            )
    implementation = stages["implementation"]
    if implementation.get("proposed_by") == implementation["actor_role"]:
        problems.append(
            RuleSetProblem(
                "stages.implementation.proposed_by",
                _("utelämnas när samma roll föreslår och beslutar"),
            )
        )
    if stages["start"]["payout_plan_required"] and "payout_plan_approved_by" not in stages["start"]:
        problems.append(
            RuleSetProblem("stages.start.payout_plan_approved_by", _("krävs när en utbetalningsplan krävs"))
        )


def _check_idea_carried_into_application(document, problems):
    idea = document["stages"]["idea"]
    contents = idea.get("contents", [])
    sections = {section["key"] for section in document["application"]["sections"]}
    for index, carried in enumerate(idea.get("carries_into_application", [])):
        path = f"stages.idea.carries_into_application[{index}]"
        if carried["content"] >= len(contents):
            problems.append(
                RuleSetProblem(
                    f"{path}.content",
                    _("idén har ingen del %(content)s (contents har %(count)s delar, räknat från 0)")
                    % {"content": carried["content"], "count": len(contents)},
                )
            )
        if carried["section"] not in sections:
            problems.append(
                RuleSetProblem(f"{path}.section", _("ansökan har inget avsnitt %(key)s") % {"key": carried["section"]})
            )


def _check_application(document, problems):
    application = document["application"]
    _check_idea_carried_into_application(document, problems)
    _unique_keys(application["sections"], "application.sections", problems)
    goal_lists = application.get("goal_lists", [])
    _unique_keys(goal_lists, "application.goal_lists", problems)
    for index, goal_list in enumerate(goal_lists):
        _unique_keys(goal_list["goals"], f"application.goal_lists[{index}].goals", problems)
    _unique_keys(application["declarations"], "application.declarations", problems)
    _check_range(application.get("duration_months"), "application.duration_months", "min", "max", problems)
    _check_range(document["target_group"], "target_group", "min_age", "max_age", problems)
    _check_signatures(application["signatures"], problems)


def _check_signatures(signatures, problems):
    """A unit is signed for by its head: the rule set must name the head's title."""
    for index, rule in enumerate(signatures):
        if rule["signer"] == "external_actor_heads":
            continue
        for key in ("head_title", "head_title_definite"):
            if not rule.get(key):
                problems.append(
                    RuleSetProblem(
                        f"application.signatures[{index}].{key}",
                        _("Ange titeln på chefen som skriver under för enheten (t.ex. förvaltningschef)."),
                    )
                )


def _check_collaboration(eligibility, problems):
    collaboration = eligibility["collaboration"]
    path = "eligibility.collaboration.alternatives"
    if collaboration["requirement"] == "required" and not collaboration["alternatives"]:
        problems.append(RuleSetProblem(path, _("ett samverkanskrav måste ange minst ett alternativ")))
    excluded = set(eligibility["excluded_actor_kinds"])
    for index, alternative in enumerate(collaboration["alternatives"]):
        if excluded & set(alternative.get("external_kinds", [])):
            problems.append(
                RuleSetProblem(
                    f"{path}[{index}].external_kinds", _("en utesluten aktörstyp kan inte räknas som samverkanspart")
                )
            )
        if alternative["min_units"] + alternative["min_external"] == 0:
            problems.append(RuleSetProblem(f"{path}[{index}]", _("alternativet kräver ingen part alls")))


def _check_dates(document, problems):
    for index, window in enumerate(document["calendar"]["application_windows"]):
        _check_month_day(window["opens"], f"calendar.application_windows[{index}].opens", problems)
        _check_month_day(window["closes"], f"calendar.application_windows[{index}].closes", problems)
    for index, obligation in enumerate(document["reporting"]["obligations"]):
        path = f"reporting.obligations[{index}]"
        if obligation["schedule"] == "fixed_dates" and not obligation.get("fixed_dates"):
            problems.append(RuleSetProblem(f"{path}.fixed_dates", _("krävs när schedule är fixed_dates")))
        for date_index, fixed in enumerate(obligation.get("fixed_dates", [])):
            _check_month_day(fixed["default"], f"{path}.fixed_dates[{date_index}].default", problems)
    closing = document["reporting"].get("closing_report")
    if closing and closing["kind"] not in {o["kind"] for o in document["reporting"]["obligations"]}:
        problems.append(
            RuleSetProblem("reporting.closing_report.kind", _("regelverket har ingen rapport av den typen"))
        )
    for field in ("adopted_on", "in_force_from"):
        if field in document["guideline"]:
            _check_date(document["guideline"][field], f"guideline.{field}", problems)


def _check_money(money, problems):
    if money["payouts"]["model"] == "payout_plan" and "approved_by" not in money["payouts"]:
        problems.append(RuleSetProblem("money.payouts.approved_by", _("krävs för en utbetalningsplan")))
    repayment = money["repayment"]
    if repayment["model"] == "savings_return":
        for field in ("basis", "years_after_end"):
            if field not in repayment:
                problems.append(RuleSetProblem(f"money.repayment.{field}", _("krävs för återbetalning ur besparingar")))
    if repayment["model"] != "none":
        for field in ("drafted_by", "payer_unit_kinds"):
            if field not in repayment:
                problems.append(RuleSetProblem(f"money.repayment.{field}", _("krävs när kommunen har återbetalning")))
    _check_range(repayment.get("years_after_end"), "money.repayment.years_after_end", "min", "max", problems)
    if "applies_to_starts_before" in repayment:
        _check_date(repayment["applies_to_starts_before"], "money.repayment.applies_to_starts_before", problems)


def _check_review(review, problems):
    _unique_keys(review["criteria"], "review.criteria", problems)
    for index, criterion in enumerate(review["criteria"]):
        if criterion["kind"] == "score" and "scale_max" not in criterion:
            problems.append(RuleSetProblem(f"review.criteria[{index}].scale_max", _("krävs för ett betyg")))


def semantic_problems(document):
    """Rules the JSON schema cannot state. Runs only on a schema-valid document."""
    problems = []
    _check_roles(document, problems)
    _check_stages(document["stages"], problems)
    _check_application(document, problems)
    _check_collaboration(document["eligibility"], problems)
    _check_dates(document, problems)
    _check_money(document["money"], problems)
    _check_review(document["review"], problems)
    return problems


def ruleset_problems(document):
    """All problems with a rule-set document; an empty list means it is valid."""
    if not isinstance(document, dict):
        return [RuleSetProblem(format_path([]), _("regelverket ska vara ett JSON-objekt"))]
    problems = schema_problems(document)
    if problems:
        return problems
    return semantic_problems(document)


def validate_ruleset(document):
    # Validation is a pure function of the document, and the schema walk is slow (a tenth of a
    # second): a document already found valid in this process is not walked again.
    fingerprint = document_fingerprint(document) if isinstance(document, dict) else None
    if fingerprint in _VALID_FINGERPRINTS:
        return document
    problems = ruleset_problems(document)
    if problems:
        raise RuleSetInvalidError(problems)
    if len(_VALID_FINGERPRINTS) >= 256:
        _VALID_FINGERPRINTS.clear()
    _VALID_FINGERPRINTS.add(fingerprint)
    return document


_VALID_FINGERPRINTS = set()


def document_fingerprint(document):
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse_ruleset(text):
    """Parse and validate rule-set JSON text; raise RuleSetInvalidError naming the problem."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise RuleSetInvalidError(
            [
                RuleSetProblem(
                    _("rad %(line)s, kolumn %(column)s") % {"line": error.lineno, "column": error.colno},
                    _("ogiltig JSON: %(reason)s") % {"reason": error.msg},
                )
            ]
        ) from error
    return validate_ruleset(document)
