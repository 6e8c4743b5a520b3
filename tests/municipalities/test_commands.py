import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from municipalities.models import RuleSetVersion
from municipalities.rulebook.validation import ruleset_problems
from tests.conftest import SLUGS, shipped_document

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", SLUGS)
def test_export_ruleset_prints_a_valid_ruleset(rulesets, slug):
    out = StringIO()
    call_command("export_ruleset", slug, stdout=out)
    document = json.loads(out.getvalue())
    assert document["municipality"]["slug"] == slug
    assert ruleset_problems(document) == []


def test_export_of_unknown_municipality_names_the_known(rulesets):
    with pytest.raises(CommandError, match=r"Okänd kommun: lund\. Kända: ale, heby, norrkoping, sundsvall, ystad"):
        call_command("export_ruleset", "lund")


def test_import_of_broken_field_fails_naming_it(rulesets, tmp_path):
    document = shipped_document("norrkoping")
    document["application"]["duration_months"] = {"min": "två år", "cite": "x"}
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="Regelverket importerades inte"):
        call_command("import_ruleset", str(path), stderr=err)
    assert f"{path}: application.duration_months.min: fel typ: ska vara ett heltal" in err.getvalue()
    assert RuleSetVersion.objects.filter(municipality__slug="norrkoping").count() == 1


def test_import_then_reimport_is_idempotent(rulesets, tmp_path):
    document = shipped_document("heby")
    document["target_group"]["max_age"] = 29
    path = tmp_path / "heby.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    first, second = StringIO(), StringIO()
    call_command("import_ruleset", str(path), "--activate", stdout=first)
    call_command("import_ruleset", str(path), "--activate", stdout=second)
    assert first.getvalue().strip() == "Importerade heby version 2 (gällande)"
    assert second.getvalue().strip() == "Oförändrat: heby version 2 (gällande)"


@pytest.mark.slow
def test_load_demo_twice_creates_each_account_once(db):
    call_command("load_demo", stdout=StringIO())
    out = StringIO()
    call_command("load_demo", stdout=out)
    from accounts.models import User

    # Eight roles in five municipalities, a partner unit's colleague in each, a representative for
    # each nämnd beyond the first (Heby 1, Sundsvall 2, Ystad 2, Norrköping 1), the system admin, and
    # a designated head for each unit that signs (Ale's 4 sektorer, Norrköping's 4 kontor, Ystad's 3
    # förvaltningar) with one deputy in each of those three municipalities.
    assert User.objects.filter(is_demo=True).count() == 5 * 8 + 5 + 6 + 1 + (4 + 4 + 3) + 3
    from municipalities.models import OrganisationalUnit

    heads = OrganisationalUnit.objects.filter(head__isnull=False)
    assert sorted((unit.municipality.slug, unit.kind, unit.head.is_demo) for unit in heads) == sorted(
        [("ale", "sektor", True)] * 4 + [("norrkoping", "kontor", True)] * 4 + [("ystad", "forvaltning", True)] * 3
    )
    assert "beredare.ystad@demo.fonden.se" in out.getvalue()
