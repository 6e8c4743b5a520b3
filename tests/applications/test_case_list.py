"""The case list: search, filters (only what the municipality's rule sets use), sorting, pages,
"waiting on me", saved filters, tenant walls, and a page cost that does not grow with the cases."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.enums import CaseState as S
from applications.models import Case, CaseCost, SavedCaseFilter
from applications.services.content import create_case
from applications.tables import PER_PAGE
from demo.walk import walk_to
from municipalities.models import OrganisationalUnit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def listed(client, **params):
    response = client.get(reverse("applications:list"), params)
    assert response.status_code == 200
    return response


def titles(response):
    return [row.record.title for row in response.context["table"].page.object_list]


def bulk_cases(user, count, *, start=0, state=S.SUBMITTED, unit=None, asked=None):
    """``count`` cases made in one insert (with a cost each, if ``asked``), for the size tests."""
    municipality = user.municipality
    ruleset = municipality.active_ruleset
    cases = Case.objects.bulk_create(
        Case(
            municipality=municipality,
            ruleset_version=ruleset,
            number=f"BULK-{start + i}",
            title=f"Insats {start + i}",
            state=state,
            created_by=user,
            applicant_unit=unit or user.unit,
        )
        for i in range(count)
    )
    if asked is not None:
        CaseCost.objects.bulk_create(CaseCost(case=case, year=2027, amount=asked) for case in cases)
    return cases


@pytest.fixture
def heby(people):
    return people("heby")


@pytest.fixture
def three_cases(heby):
    """Three Heby cases: the applicant's draft (of the school office), one submitted by the social
    services' office asking 300 000 kr, and the applicant's case ready for decision asking 100 000 kr."""
    units = {unit.name: unit for unit in OrganisationalUnit.objects.filter(municipality__slug="heby")}
    draft = create_case(heby["applicant"], title="Familjecentral")
    social_applicant = UserFactory(
        municipality=heby["applicant"].municipality,
        full_name="Stina Socionom",
        unit=units["Socialförvaltningen"],
        roles=["applicant"],
    )
    submitted = walk_to(create_case(heby["applicant"], title="Läxhjälp"), S.SUBMITTED, heby)
    ready = walk_to(create_case(heby["applicant"], title="Närvaroteam"), S.READY_FOR_DECISION, heby)
    # The walk lets the other units take part and asks 500 000 kr a year: each case is made its
    # own unit's alone, with one cost.
    for case, amount in ((submitted, "300000"), (ready, "100000")):
        case.units.clear()
        CaseCost.objects.filter(case=case).delete()
        CaseCost.objects.create(case=case, year=2027, amount=Decimal(amount))
    Case.objects.filter(pk=submitted.pk).update(
        applicant_unit=units["Socialförvaltningen"], created_by=social_applicant
    )
    return draft, Case.objects.get(pk=submitted.pk), ready


# ---- Search and filters -----------------------------------------------------------------------
def test_search_finds_cases_by_number_title_unit_and_applicant(client, heby, three_cases):
    _draft, submitted, _ready = three_cases
    client.force_login(heby["preparer"])

    assert titles(listed(client, q=submitted.number)) == ["Läxhjälp"]
    assert titles(listed(client, q="LäxHJäLP")) == ["Läxhjälp"]
    assert titles(listed(client, q="socialförvaltningen")) == ["Läxhjälp"]
    assert titles(listed(client, q="Socionom")) == ["Läxhjälp"]
    assert titles(listed(client, q="ingen sådan insats")) == []


def test_filters_narrow_by_stage_state_unit_year_and_amount(client, heby, three_cases):
    client.force_login(heby["preparer"])
    social = OrganisationalUnit.objects.get(municipality__slug="heby", name="Socialförvaltningen")
    board_unit = social.parent
    this_year = datetime.date.today().year

    assert sorted(titles(listed(client, stage="application"))) == ["Familjecentral", "Läxhjälp"]
    assert titles(listed(client, stage="preparation")) == ["Närvaroteam"]
    assert titles(listed(client, state="draft")) == ["Familjecentral"]
    assert titles(listed(client, unit=social.pk)) == ["Läxhjälp"]
    assert len(titles(listed(client, unit=board_unit.pk))) == 3  # a nämnd's list holds its förvaltningar's
    assert len(titles(listed(client, year=this_year))) == 3
    assert titles(listed(client, amount="asked", amount_min="250000", amount_max="300000")) == ["Läxhjälp"]
    assert titles(listed(client, amount="granted", amount_min="1")) == []


def test_only_the_states_and_stages_the_rule_set_uses_are_offered(client, heby, people):
    ystad = people("ystad")
    client.force_login(heby["preparer"])
    heby_filter = listed(client).context["filter"]
    client.force_login(ystad["preparer"])
    ystad_filter = listed(client).context["filter"]

    heby_states = [value for value, _label in heby_filter.form.fields["state"].choices]
    heby_stages = [value for value, _label in heby_filter.form.fields["stage"].choices]
    ystad_states = [value for value, _label in ystad_filter.form.fields["state"].choices]
    assert "idea_draft" not in heby_states  # Heby has no idea stage
    assert "extended" not in heby_states
    assert "abort_proposed" not in heby_states
    assert "idea" not in heby_stages
    assert heby_states[:3] == ["", "draft", "submitted"]
    assert "idea_draft" in ystad_states
    assert "abort_proposed" in ystad_states


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"state": "nonsens"}, "state", "Okänd status: nonsens. Välj en av statusarna i listan."),
        ({"state": "idea_draft"}, "state", "Okänd status: idea_draft. Välj en av statusarna i listan."),
        ({"stage": "idea"}, "stage", "Okänt skede: idea. Välj ett av skedena i listan."),
        ({"year": "förra"}, "year", "Okänt år: förra. Välj ett av åren i listan."),
        ({"unit": "abc"}, "unit", "Okänd enhet. Välj en av kommunens enheter i listan."),
        ({"amount_min": "-5"}, "amount_min", "Beloppet kan inte vara negativt."),
        ({"amount_min": "mycket"}, "amount_min", "Ange ett belopp i kronor, till exempel 250000."),
        (
            {"amount_min": "500", "amount_max": "100"},
            "amount_max",
            "Beloppet ”till” ska vara minst lika stort som beloppet ”från”.",
        ),
    ],
)
def test_unknown_filter_values_are_told_in_swedish_and_the_rest_still_filters(
    client, heby, three_cases, params, field, message
):
    client.force_login(heby["preparer"])

    response = listed(client, q="Läxhjälp", **params)

    assert response.context["filter"].errors[field] == [message]
    assert message in response.content.decode()
    assert titles(response) == ["Läxhjälp"]


def test_unknown_sort_and_page_show_the_first_page_sorted_by_latest_change(client, heby, three_cases):
    client.force_login(heby["preparer"])

    for params in ({"sort": "lösenord"}, {"page": "sista"}, {"page": "0"}, {"page": "999"}):
        response = listed(client, **params)
        assert titles(response) == ["Närvaroteam", "Läxhjälp", "Familjecentral"]


def test_columns_sort_both_ways_and_the_header_says_how(client, heby, three_cases):
    client.force_login(heby["preparer"])

    ascending = listed(client, sort="title")
    descending = listed(client, sort="-title")
    by_amount = listed(client, sort="-asked")

    assert titles(ascending) == ["Familjecentral", "Läxhjälp", "Närvaroteam"]
    assert titles(descending) == ["Närvaroteam", "Läxhjälp", "Familjecentral"]
    assert titles(by_amount)[0] == "Läxhjälp"
    html = ascending.content.decode()
    assert 'aria-sort="ascending"' in html
    assert 'Insats<span class="visually-hidden"> (sortera fallande)</span>' in html
    assert 'Diarienummer<span class="visually-hidden"> (sortera stigande)</span>' in html


def test_pages_hold_a_fixed_number_of_rows_in_a_named_navigation(client, heby):
    bulk_cases(heby["applicant"], PER_PAGE + 5)
    client.force_login(heby["preparer"])

    first = listed(client, sort="number")
    second = listed(client, sort="number", page=2)

    assert len(titles(first)) == PER_PAGE
    assert len(titles(second)) == 5
    assert set(titles(first)).isdisjoint(titles(second))
    html = first.content.decode()
    assert '<nav aria-label="Sidor i ärendelistan">' in html
    assert 'aria-current="page"' in html
    assert "Sida 1 av 2 (ärende 1–25)" in html


def test_waiting_on_me_keeps_only_the_cases_that_wait_for_the_user(client, heby, three_cases):
    client.force_login(heby["preparer"])
    preparer_sees = titles(listed(client, waiting="on"))
    client.force_login(heby["decision_body"])
    decision_body_sees = titles(listed(client, waiting="on"))

    assert preparer_sees == ["Läxhjälp"]  # submitted: a new application to prepare
    assert decision_body_sees == ["Närvaroteam"]  # ready for decision


# ---- Tenant walls ----------------------------------------------------------------------------
def test_another_municipalitys_cases_and_units_never_appear(client, heby, three_cases, people):
    ystad = people("ystad")
    create_case(ystad["applicant"], title="Ystads hemliga insats")
    ystad_unit = ystad["applicant"].unit
    client.force_login(heby["preparer"])

    response = listed(client, q="Ystads hemliga insats")
    offered = [str(value) for value, _label in response.context["filter"].form.fields["unit"].choices]
    by_other_unit = listed(client, unit=ystad_unit.pk)

    assert titles(response) == []
    assert "Ystads hemliga insats" not in listed(client).content.decode()
    assert str(ystad_unit.pk) not in offered
    assert ystad_unit.name not in response.content.decode()
    assert by_other_unit.context["filter"].errors["unit"] == ["Okänd enhet. Välj en av kommunens enheter i listan."]
    assert "Ystads hemliga insats" not in by_other_unit.content.decode()


def test_an_applicant_lists_only_the_cases_they_take_part_in(client, heby, three_cases):
    client.force_login(heby["applicant"])
    assert sorted(titles(listed(client))) == ["Familjecentral", "Närvaroteam"]


# ---- Saved filters -----------------------------------------------------------------------------
def test_a_saved_filter_is_listed_applied_and_deleted_by_its_owner(client, heby, three_cases):
    client.force_login(heby["preparer"])

    response = client.post(
        reverse("applications:save_filter"),
        {"name": "Nya ansökningar", "query": "state=submitted&sort=-title&state_bogus=1&unit=999999"},
        follow=True,
    )

    saved = SavedCaseFilter.objects.get(user=heby["preparer"])
    assert saved.query == "state=submitted&sort=-title"
    assert "Filtret ”Nya ansökningar” är sparat." in response.content.decode()
    page = listed(client)
    assert 'href="/arenden/?state=submitted&amp;sort=-title">Nya ansökningar</a>' in page.content.decode()
    assert titles(client.get(f"{reverse('applications:list')}?{saved.query}")) == ["Läxhjälp"]
    client.post(reverse("applications:delete_filter", args=[saved.pk]))
    assert not SavedCaseFilter.objects.exists()


def test_saving_without_a_name_or_a_filter_is_refused_by_the_field(client, heby):
    client.force_login(heby["preparer"])

    nameless = client.post(reverse("applications:save_filter"), {"name": "", "query": "state=draft"})
    filterless = client.post(reverse("applications:save_filter"), {"name": "Allt", "query": "state=nonsens"})

    assert nameless.status_code == filterless.status_code == 400
    assert nameless.context["save_form"].errors["name"] == ["Ge filtret ett namn."]
    assert filterless.context["save_form"].errors["name"] == ["Välj minst ett filter innan du sparar."]
    assert not SavedCaseFilter.objects.exists()


def test_another_users_saved_filter_is_invisible_and_cannot_be_deleted(client, heby, people):
    ystad = people("ystad")
    mine = SavedCaseFilter.objects.create(user=heby["preparer"], name="Mitt filter", query="state=draft")
    colleague = SavedCaseFilter.objects.create(user=heby["controller"], name="Kollegans filter", query="state=draft")
    other = SavedCaseFilter.objects.create(user=ystad["preparer"], name="Ystads filter", query="state=draft")
    client.force_login(heby["preparer"])

    html = listed(client).content.decode()

    assert "Mitt filter" in html
    assert "Kollegans filter" not in html
    assert "Ystads filter" not in html
    assert client.post(reverse("applications:delete_filter", args=[colleague.pk])).status_code == 404
    assert client.post(reverse("applications:delete_filter", args=[other.pk])).status_code == 404
    assert SavedCaseFilter.objects.count() == 3
    assert mine.pk in SavedCaseFilter.objects.values_list("pk", flat=True)


# ---- Cost -----------------------------------------------------------------------------------------
SEARCH_FILTER_SORT = {
    "q": "Insats",
    "stage": "application",
    "state": "submitted",
    "amount": "asked",
    "amount_min": "1000",
    "amount_max": "900000",
    "sort": "-asked",
}


def _queries_of_the_list(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = listed(client, **params)
    return len(queries), response


@pytest.mark.parametrize("waiting", ["", "on"], ids=["search-filters-sort", "and-waiting-on-me"])
def test_the_list_makes_the_same_number_of_queries_for_30_and_3000_cases(client, heby, waiting):
    school = OrganisationalUnit.objects.get(municipality__slug="heby", name="Barn- och utbildningsförvaltningen")
    params = {**SEARCH_FILTER_SORT, "unit": school.pk, "waiting": waiting}
    bulk_cases(heby["applicant"], 30, unit=school, asked=Decimal("5000"))
    client.force_login(heby["preparer"])
    few, small = _queries_of_the_list(client, params)
    bulk_cases(heby["applicant"], 2970, start=30, unit=school, asked=Decimal("5000"))

    many, large = _queries_of_the_list(client, params)

    # Every case matches (and, submitted, waits for the preparer): the waiting pass reads all 3,000.
    assert small.context["table"].paginator.count == 30
    assert large.context["table"].paginator.count == 3000
    assert len(titles(large)) == PER_PAGE
    assert many == few
