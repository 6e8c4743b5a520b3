"""The rule book is the one reader of a rule-set document: its enums say what the schema says, the
five shipped rule sets load into it, and no code outside it reads a rule-set version's document."""

import ast
import dataclasses
import datetime
import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from municipalities.models import Municipality, RuleSetVersion
from municipalities.rulebook import RuleBook, rulebook_of
from municipalities.rulebook.enums import (
    ActorKind,
    CarryOverModel,
    CollaborationRequirement,
    ComparisonPreference,
    CriterionKind,
    EvaluationKind,
    Expertise,
    FundHeldIn,
    ObligationKind,
    PayoutModel,
    RepaymentBasis,
    RepaymentModel,
    RepaymentPlanRequired,
    ReportSchedule,
    ReviewStage,
    Role,
    SignatureWhen,
    Signer,
    Stage,
    StepAction,
    StepKind,
    UnitKind,
)
from municipalities.rulebook.validation import SCHEMA_PATH
from tests.conftest import shipped_document

ROOT = Path(settings.BASE_DIR)
SLUGS = ["ale", "heby", "norrkoping", "sundsvall", "ystad"]

# ---- 1. Every vocabulary of the schema is an enum with exactly the schema's values -------------

# Each schema path holding an ``enum`` (a "/"-joined walk through the schema's keywords), and the
# class that stands for it. One class may stand for several paths (the kinds of report).
VOCABULARIES = {
    "$defs/role": Role,
    "$defs/unit_kind": UnitKind,
    "$defs/actor_kind": ActorKind,
    "$defs/steps/items/properties/action": StepAction,
    "$defs/steps/items/properties/kind": StepKind,
    "$defs/steps/items/properties/expertise": Expertise,
    "properties/eligibility/properties/collaboration/properties/requirement": CollaborationRequirement,
    "properties/application/properties/signatures/items/properties/signer": Signer,
    "properties/application/properties/signatures/items/properties/when": SignatureWhen,
    "properties/reporting/properties/obligations/items/properties/kind": ObligationKind,
    "properties/reporting/properties/closing_report/properties/kind": ObligationKind,
    "properties/reporting/properties/obligations/items/properties/schedule": ReportSchedule,
    "properties/money/properties/fund/properties/held_in": FundHeldIn,
    "properties/money/properties/payouts/properties/model": PayoutModel,
    "properties/money/properties/carry_over/properties/model": CarryOverModel,
    "properties/money/properties/repayment/properties/model": RepaymentModel,
    "properties/money/properties/repayment/properties/plan_required": RepaymentPlanRequired,
    "properties/money/properties/repayment/properties/basis": RepaymentBasis,
    "properties/evaluation/properties/comparison_preference/items": ComparisonPreference,
    "properties/evaluation/properties/required_evaluations/items": EvaluationKind,
    "properties/review/properties/criteria/items/properties/kind": CriterionKind,
    "properties/review/properties/criteria/items/properties/stage": ReviewStage,
}


def schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def schema_enums(node, path=""):
    """{path: [values]} for every ``enum`` in the schema."""
    found = {}
    if isinstance(node, dict):
        if "enum" in node:
            found[path] = node["enum"]
        for key, value in node.items():
            found |= schema_enums(value, f"{path}/{key}" if path else key)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found |= schema_enums(value, f"{path}/{index}")
    return found


def test_every_schema_vocabulary_has_an_enum():
    assert set(schema_enums(schema())) == set(VOCABULARIES), (
        "A vocabulary of ruleset.schema.json has no enum in municipalities/rulebook/enums.py (or the "
        "other way round): add it there and to VOCABULARIES."
    )


@pytest.mark.parametrize("path", sorted(VOCABULARIES))
def test_enum_values_equal_the_schema(path):
    assert {str(member) for member in VOCABULARIES[path]} == set(schema_enums(schema())[path])


def test_stage_enum_equals_the_schema_stages():
    assert {str(stage) for stage in Stage} == set(schema()["properties"]["stages"]["properties"])


# ---- 2. Nothing outside the rule book reads a rule-set document -----------------------------------

PACKAGE = Path("municipalities/rulebook")
# Where a whole document is data rather than rules, with the reason.
WHOLE_DOCUMENT_ALLOWED = {
    "municipalities/models.py": "the model stores the document and fingerprints it",
    "municipalities/services.py": "import, export, copy and diff of whole documents",
    "municipalities/views.py": "the editor shows, exports and compares whole documents",
    "municipalities/admin.py": "the admin form checks an uploaded document's municipality",
    "municipalities/forms.py": "the editor's forms parse and validate the JSON text",
}
# ``Signature.document`` (applications) is an uploaded PDF, a FileField of the same name: reads on
# an object so named are not rule sets.
FILE_FIELD_OWNERS = {"signature"}


def _owner_name(node):
    """The last name of the expression a ``.document`` is read from (``case.ruleset_version`` →
    "ruleset_version")."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def raw_document_reads(source, filename="<source>"):
    """(line, code) for every read of a ``.document`` attribute: ``X.document[...]``,
    ``X.document.get(...)`` and any other use of it, except on a signature's file."""
    reads = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "document"
            and isinstance(node.ctx, ast.Load)
            and _owner_name(node.value) not in FILE_FIELD_OWNERS
        ):
            reads.append((node.lineno, ast.unparse(node)))
    return reads


def project_python_files():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "node_modules", "tests"} or "migrations" in relative.parts:
            continue
        if relative.is_relative_to(PACKAGE) or str(relative) in WHOLE_DOCUMENT_ALLOWED:
            continue
        yield relative


def test_the_scan_finds_raw_reads():
    planted = (
        'x = case.ruleset_version.document["money"]\n'
        'y = ruleset.document.get("calendar", {})\n'
        "z = version.document\n"
        "ok = signature.document.name\n"
    )
    assert sorted(line for line, _code in raw_document_reads(planted)) == [1, 2, 3]


def test_no_code_outside_the_rule_book_reads_a_rule_set_document():
    found = {
        str(relative): raw_document_reads((ROOT / relative).read_text(encoding="utf-8"), str(relative))
        for relative in project_python_files()
    }
    assert {path: reads for path, reads in found.items() if reads} == {}


def test_no_template_reads_a_rule_set_document():
    pattern = re.compile(r"\w\.document\b")
    found = {}
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if any(not match.group(0).startswith(tuple(FILE_FIELD_OWNERS)) for match in pattern.finditer(line)):
                found.setdefault(str(path.relative_to(ROOT)), []).append(number)
    assert found == {}


# ---- 3. The five rule sets load, with their own values --------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_shipped_rule_set_loads_into_the_book(slug):
    rules = RuleBook.of(shipped_document(slug))
    assert rules.municipality.slug == slug
    assert all(isinstance(step.actor_role, Role) for step in rules.step_specs(Stage.PREPARATION))
    assert {step.stage for step in rules.step_specs(Stage.PREPARATION)} == {Stage.PREPARATION}


def test_ystad_compensates_the_budget_twice_a_year():
    rules = RuleBook.of(shipped_document("ystad"))
    payouts = rules.money.payouts
    assert (payouts.model, payouts.times_per_year, payouts.is_budget_compensation) == (
        PayoutModel.BUDGET_COMPENSATION,
        2,
        True,
    )
    assert rules.money.carry_over.model == CarryOverModel.REBUDGET_BY_DECISION
    assert rules.prioritisation_role == Role.MANAGEMENT
    assert rules.money.repayment.model == RepaymentModel.NONE


def test_sundsvall_returns_consumed_savings_over_one_to_ten_years():
    repayment = RuleBook.of(shipped_document("sundsvall")).money.repayment
    assert (repayment.model, repayment.basis, repayment.from_savings) == (
        RepaymentModel.SAVINGS_RETURN,
        RepaymentBasis.CONSUMED,
        True,
    )
    assert (repayment.years_after_end.min, repayment.years_after_end.max, repayment.max_years) == (1, 10, 10)
    assert repayment.window(datetime.date(2027, 6, 30)) == (2028, 2037)
    assert repayment.drafted_by == (Role.PREPARER, Role.CONTROLLER)
    assert repayment.payer_unit_kinds == (UnitKind.NAMND,)
    assert repayment.exemption.savings_beyond_years == 10


def test_heby_decides_groups_from_a_yearly_budget():
    rules = RuleBook.of(shipped_document("heby"))
    assert rules.may_decide_group is True
    assert rules.money.fund.held_in == FundHeldIn.YEARLY_BUDGET
    assert rules.money.fund.holds_reservation is False
    assert (rules.reporting.closing_report_kind, rules.reporting.has_final_report) == (ObligationKind.YEARLY, False)


def test_norrkoping_round_basis_and_repayment_before_2021():
    rules = RuleBook.of(shipped_document("norrkoping"))
    assert rules.round_basis is True
    assert rules.money.repayment.applies_to_starts_before == datetime.date(2021, 1, 1)
    # The rule set names no approver; the page says nothing, the plan goes to the decision body.
    assert (rules.money.repayment.decided_by, rules.money.repayment.approver) == (None, Role.DECISION_BODY)
    assert rules.money.fund.initial_amount == "40000000.00"
    assert rules.has_half_time_follow_up is True


def test_ale_payout_plan_steps_at_the_start():
    rules = RuleBook.of(shipped_document("ale"))
    assert (rules.money.payouts.model, rules.money.payouts.approved_by) == (PayoutModel.PAYOUT_PLAN, Role.PREPARER)
    assert [step.key for step in rules.step_specs(Stage.START)] == [
        "evaluation_plan",
        "payout_plan",
        "payout_plan_approved",
    ]
    assert rules.money.repayment.drafted_by == (Role.APPLICANT,)


def test_sundsvall_plu_follows_every_project_stage():
    rules = RuleBook.of(shipped_document("sundsvall"))
    followed = [key for key in Stage if rules.stage_informed_roles(key) == [Role.MANAGEMENT]]
    assert followed == [
        Stage.DECISION,
        Stage.START,
        Stage.FOLLOW_UP,
        Stage.ABORT,
        Stage.EXTENSION,
        Stage.DESIGN_CHANGE,
        Stage.IMPLEMENTATION,
    ]
    assert rules.stage_informed_roles(Stage.APPLICATION) == []


def test_without_informed_roles_no_stage_is_followed():
    rules = RuleBook.of(shipped_document("ystad"))
    assert [rules.stage_informed_roles(key) for key in Stage] == [[] for _ in Stage]


def test_defaults_are_the_dataclasses():
    rules = RuleBook.of(shipped_document("ystad"))
    signature = rules.application.signatures[0]
    assert signature.when in set(SignatureWhen)
    assert rules.stages.design_change.enabled in (True, False)
    assert rules.evaluation.required_evaluations == (EvaluationKind.FINAL,)


def test_the_book_is_frozen():
    rules = RuleBook.of(shipped_document("ystad"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        rules.money = None


@pytest.mark.django_db
def test_a_book_is_built_once_per_version_and_fingerprint():
    municipality = Municipality.objects.create(slug="ystad", name="Ystad")
    document = shipped_document("ystad")
    version = RuleSetVersion.objects.create(municipality=municipality, number=1, document=document)
    again = RuleSetVersion.objects.get(pk=version.pk)

    assert rulebook_of(again) is rulebook_of(version)

    document["target_group"]["description"] = "Unga."
    version.document = document
    version.save()
    assert rulebook_of(version).target_group.description == "Unga."
