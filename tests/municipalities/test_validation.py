import copy
import json

import pytest

from municipalities.rulebook.validation import RuleSetInvalidError, parse_ruleset, ruleset_problems
from tests.conftest import SLUGS, shipped_document


@pytest.mark.parametrize("slug", SLUGS)
def test_shipped_ruleset_is_valid(slug):
    assert ruleset_problems(shipped_document(slug)) == []


def rule_objects(document):
    """Every object in a rule set that states a rule, with its path."""
    yield "eligibility", document["eligibility"]
    yield "eligibility.collaboration", document["eligibility"]["collaboration"]
    yield "target_group", document["target_group"]
    for role, body in document["bodies"].items():
        yield f"bodies.{role}", body
    for key, stage in document["stages"].items():
        if stage.get("enabled", True):
            yield f"stages.{key}", stage
            for index, step in enumerate(stage.get("steps", [])):
                yield f"stages.{key}.steps[{index}]", step
    application = document["application"]
    yield "application", application
    for field in ("sections", "declarations", "signatures"):
        for index, item in enumerate(application[field]):
            yield f"application.{field}[{index}]", item
    for index, obligation in enumerate(document["reporting"]["obligations"]):
        yield f"reporting.obligations[{index}]", obligation
    for key, rule in document["money"].items():
        yield f"money.{key}", rule
    yield "evaluation", document["evaluation"]
    for index, criterion in enumerate(document["review"]["criteria"]):
        yield f"review.criteria[{index}]", criterion


@pytest.mark.parametrize("slug", SLUGS)
def test_every_rule_in_shipped_ruleset_cites_its_guideline(slug):
    uncited = [path for path, rule in rule_objects(shipped_document(slug)) if not rule.get("cite")]
    assert uncited == []


def problems_of(document):
    return [(p.path, p.message) for p in ruleset_problems(document)]


def test_missing_field_is_named():
    document = shipped_document("ystad")
    del document["application"]["sections"][0]["title"]
    assert problems_of(document) == [("application.sections[0].title", "fältet saknas men är obligatoriskt")]


def test_wrong_type_is_named():
    document = shipped_document("ale")
    document["application"]["duration_months"]["max"] = "tre år"
    assert problems_of(document) == [("application.duration_months.max", "fel typ: ska vara ett heltal")]


def test_unknown_field_is_named_as_possible_typo():
    document = shipped_document("heby")
    document["eligibility"]["colaboration"] = {}
    assert problems_of(document) == [("eligibility.colaboration", "okänt fält (stavfel?)")]


def test_unknown_role_is_refused_with_allowed_values():
    document = shipped_document("sundsvall")
    document["stages"]["decision"]["actor_role"] = "kommunfullmaktige"
    [(path, message)] = problems_of(document)
    assert path == "stages.decision.actor_role"
    assert message.startswith('ogiltigt värde "kommunfullmaktige"; tillåtna värden: applicant, preparer')


def test_duration_minimum_above_maximum_is_refused():
    document = shipped_document("ystad")
    document["application"]["duration_months"].update({"min": 60, "max": 48})
    assert problems_of(document) == [("application.duration_months.min", "min får inte vara större än max")]


def test_role_without_a_named_body_is_refused():
    document = shipped_document("heby")
    document["bodies"].pop("management")
    paths = {path for path, _message in problems_of(document)}
    assert "stages.preparation.steps[1].actor_role" in paths


def test_impossible_calendar_date_is_refused():
    document = shipped_document("norrkoping")
    document["calendar"]["application_windows"][0]["closes"] = "02-30"
    assert problems_of(document) == [("calendar.application_windows[0].closes", "02-30 är inget datum i året")]


def test_excluded_actor_cannot_count_as_collaboration_partner():
    document = shipped_document("ale")
    document["eligibility"]["collaboration"]["alternatives"][1]["external_kinds"] = ["for_profit"]
    assert problems_of(document) == [
        (
            "eligibility.collaboration.alternatives[1].external_kinds",
            "en utesluten aktörstyp kan inte räknas som samverkanspart",
        )
    ]


def test_duplicate_section_key_is_refused():
    document = shipped_document("heby")
    first_key = document["application"]["sections"][0]["key"]
    document["application"]["sections"][1]["key"] = first_key
    assert problems_of(document) == [("application.sections[1].key", f"nyckeln {first_key} används redan")]


def test_broken_json_names_line_and_column():
    with pytest.raises(RuleSetInvalidError) as error:
        parse_ruleset('{"schema_version": 1,\n  "municipality": }')
    assert str(error.value).startswith("rad 2, kolumn 19: ogiltig JSON")


def test_sixth_municipality_is_only_data():
    """A region's fund with its own names and stages validates with no code change."""
    document = copy.deepcopy(shipped_document("ystad"))
    document["municipality"] = {"slug": "region-test", "name": "Region Test", "case_number_prefix": "RS"}
    document["bodies"]["decision_body"]["name"] = "Regionstyrelsen"
    document["stages"]["idea"] = {"enabled": False}
    document["application"]["duration_months"] = {"min": 12, "max": 60, "cite": "§ 1"}
    assert ruleset_problems(json.loads(json.dumps(document))) == []


def test_idea_carried_into_an_unknown_section_or_part_is_refused():
    document = shipped_document("ale")
    document["stages"]["idea"]["carries_into_application"] = [
        {"content": 4, "section": "insatsen"},
        {"content": 0, "section": "finns_inte"},
    ]

    assert [str(p) for p in ruleset_problems(document)] == [
        "stages.idea.carries_into_application[0].content: idén har ingen del 4 (contents har 4 delar, räknat från 0)",
        "stages.idea.carries_into_application[1].section: ansökan har inget avsnitt finns_inte",
    ]


@pytest.mark.parametrize(
    ("slug", "drafters", "payers"),
    [("ale", ["applicant"], ["sektor"]), ("sundsvall", ["preparer", "controller"], ["namnd"])],
)
def test_repayment_names_its_drafters_and_payer_unit_kinds(slug, drafters, payers):
    repayment = shipped_document(slug)["money"]["repayment"]
    assert (repayment["drafted_by"], repayment["payer_unit_kinds"]) == (drafters, payers)


def test_repayment_without_drafters_or_payers_is_refused():
    document = shipped_document("ale")
    del document["money"]["repayment"]["drafted_by"]
    del document["money"]["repayment"]["payer_unit_kinds"]
    assert problems_of(document) == [
        ("money.repayment.drafted_by", "krävs när kommunen har återbetalning"),
        ("money.repayment.payer_unit_kinds", "krävs när kommunen har återbetalning"),
    ]


def test_repayment_drafter_without_a_named_body_is_refused():
    document = shipped_document("norrkoping")
    document["money"]["repayment"]["drafted_by"] = ["controller"]
    assert problems_of(document) == [("money.repayment.drafted_by[0]", "rollen controller har inget namn under bodies")]


@pytest.mark.parametrize("key", ["head_title", "head_title_definite"])
def test_a_unit_signature_rule_must_name_the_heads_title(key):
    document = shipped_document("ale")
    del document["application"]["signatures"][0][key]

    problems = [str(problem) for problem in ruleset_problems(document)]

    assert problems == [
        f"application.signatures[0].{key}: "
        "Ange titeln på chefen som skriver under för enheten (t.ex. förvaltningschef)."
    ]


def test_an_unknown_head_unit_kind_is_refused():
    document = shipped_document("ystad")
    document["application"]["signatures"][0]["head_unit_kind"] = "avdelning"

    assert [problem.path for problem in ruleset_problems(document)] == ["application.signatures[0].head_unit_kind"]


@pytest.mark.parametrize(
    ("slug", "titles"),
    [
        ("heby", []),
        ("sundsvall", []),
        ("ale", [("affected_unit_heads", "sektorschef", "sektor")]),
        ("ystad", [("affected_unit_heads", "förvaltningschef", "forvaltning"), ("external_actor_heads", None, None)]),
        ("norrkoping", [("applicant_unit_head", "kontorschef", "kontor")]),
    ],
)
def test_each_rule_set_names_who_signs_as_its_seed_does(slug, titles):
    """Heby (000) and Sundsvall (002) ask for no signatures; Ale (001): "samtliga berörda
    sektorschefer"; Ystad (003, Steg 3): "berörda förvaltningschefer" and the partners' heads;
    Norrköping (004, Ansökan): "godkänd av kontorschef"."""
    signatures = shipped_document(slug)["application"]["signatures"]

    assert [(s["signer"], s.get("head_title"), s.get("head_unit_kind")) for s in signatures] == titles


def test_a_stage_may_name_roles_informed_of_its_events():
    document = shipped_document("ale")
    document["stages"]["decision"]["informed_roles"] = ["controller"]
    assert problems_of(document) == []


def test_an_informed_role_without_a_named_body_is_refused():
    document = shipped_document("heby")
    document["stages"]["decision"]["informed_roles"] = ["council"]
    document["bodies"].pop("council", None)
    assert problems_of(document) == [
        ("stages.decision.informed_roles[0]", "rollen council har inget namn under bodies")
    ]


def test_an_informed_role_outside_the_roles_is_refused():
    document = shipped_document("heby")
    document["stages"]["start"]["informed_roles"] = ["politiker"]
    [(path, message)] = problems_of(document)
    assert path == "stages.start.informed_roles[0]"
    assert message.startswith('ogiltigt värde "politiker"')
