"""Each municipality's review form, who may assign and review, refusals that store nothing,
and the blindness rule."""

import re

import pytest
from django.urls import reverse

from accounts.enums import Role
from applications.enums import CaseState
from audit.models import AuditEntry
from demo.walk import walk_to
from notifications.models import Notification, NotificationKind
from reviews.models import Review, ReviewAssignment
from reviews.services import ReviewRefusedError, assign_reviewer, save_review
from tests.factories import UserFactory

from .conftest import all_yes, submitted_reviews

pytestmark = pytest.mark.django_db

S = CaseState
YES_NO = {"ja", "nej"}
ONE_TO_FIVE = {"1", "2", "3", "4", "5"}

# Per municipality: the state its review is done in and exactly the criteria of its rule set there.
FORMS = {
    "ystad": (
        S.IDEA_IN_REVIEW,
        {
            "genomforbar": YES_NO,
            "reellt_behov": YES_NO,
            "nya_arbetssatt": YES_NO,
            "flera_aktorer": YES_NO,
            "battre_utfall_och_lagre_kostnader": YES_NO,
        },
    ),
    "heby": (
        S.IN_PREPARATION,
        {
            "effekt_pa_arbetslosheten": YES_NO,
            "minskade_kommunala_kostnader": YES_NO,
            "langsiktighet": YES_NO,
            "samverkan": YES_NO,
            "nytt_for_heby": YES_NO,
        },
    ),
    "ale": (
        S.IN_PREPARATION,
        {
            "uppfyller_definitionen": YES_NO,
            "tidsperiod_specificerad": YES_NO,
            "problemformulering_forskning": YES_NO,
            "matbara_mal": YES_NO,
            "samverkan": YES_NO,
            "kalkyler_bifogade": YES_NO,
            "aterbetalningsplan_forankrad": YES_NO,
            "undertecknad": YES_NO,
        },
    ),
    "sundsvall": (
        S.IN_PREPARATION,
        {
            "samhallsekonomiska_vinster": YES_NO,
            "vinnande_forvaltning_medverkar": YES_NO,
            "resultat": ONE_TO_FIVE,
            "orsakssamband": ONE_TO_FIVE,
            "uppskalning": ONE_TO_FIVE,
            "samverkan": ONE_TO_FIVE,
            "riskspridning": ONE_TO_FIVE,
            "jamn_konsfordelning": ONE_TO_FIVE,
        },
    ),
    "norrkoping": (
        S.IN_PREPARATION,
        {
            "motverkar_utanforskap": YES_NO,
            "minskar_kostnader": YES_NO,
            "nytankande": YES_NO,
            "framjar_samverkan": YES_NO,
        },
    ),
}


def form_fields(html):
    fields = {}
    for name, value in re.findall(r'name="answer-([a-z_]+)" value="([^"]+)"', html):
        fields.setdefault(name, set()).add(value)
    return fields


def reviews_section(html):
    start = html.index('id="bedomningar"')
    return html[start : html.index("</div></section>", start)]


def page(client, user, case):
    client.force_login(user)
    return client.get(reverse("applications:detail", args=[case.pk])).content.decode()


@pytest.mark.parametrize("slug", list(FORMS))
def test_review_form_shows_exactly_the_rule_sets_criteria(client, case_in, slug):
    state, expected = FORMS[slug]
    case, users = case_in(slug, state)
    assign_reviewer(case, users["preparer"], users["management"])
    html = page(client, users["management"], case)
    assert form_fields(html) == expected
    for rule in case.rules.review.criteria:
        if rule.key in expected and rule.help:
            assert rule.help.replace("'", "&#x27;") in html


@pytest.mark.parametrize("slug", list(FORMS))
def test_review_submitted_with_all_answers_is_stored_and_recorded(case_in, slug):
    state, expected = FORMS[slug]
    case, users = case_in(slug, state)
    assignment = assign_reviewer(case, users["preparer"], users["management"])
    answers = {key: ("ja" if values == YES_NO else "4") for key, values in expected.items()}
    review = save_review(assignment, users["management"], answers=answers, comment="Bra.", submit=True)
    review.refresh_from_db()
    assert review.answers == {key: (True if values == YES_NO else 4) for key, values in expected.items()}
    assert review.submitted_at is not None
    assert AuditEntry.objects.for_object(case).filter(action="review.submitted").count() == 1


def test_sundsvall_idea_review_asks_only_the_idea_criteria(client, case_in):
    case, users = case_in("sundsvall", S.IDEA_IN_REVIEW)
    assignment = assign_reviewer(case, users["preparer"], users["board"])
    assert assignment.stage == "idea"
    assert form_fields(page(client, users["board"], case)) == {
        "okar_mojlighet_till_arbete": YES_NO,
        "evidens_eller_metodutveckling": YES_NO,
    }


def test_assigning_notifies_the_reviewer_and_records_it(case_in):
    case, users = case_in("heby", S.IN_PREPARATION)
    assignment = assign_reviewer(case, users["preparer"], users["controller"])
    notification = Notification.objects.get(recipient=users["controller"])
    assert notification.kind == NotificationKind.REVIEWER_ASSIGNED
    assert notification.case == case
    assert notification.url == f"/arenden/{case.pk}/#bedomningar"
    entry = AuditEntry.objects.for_object(case).get(action="review.assigned")
    assert (entry.actor, entry.data) == (
        users["preparer"],
        {"reviewer": str(users["controller"]), "stage": "preparation"},
    )
    assert (assignment.review.answers, assignment.review.submitted_at) == ({}, None)


# ---- Bad answers: refused with the reason, nothing stored ----------------------------------------


@pytest.fixture
def sundsvall_review(case_in):
    case, users = case_in("sundsvall", S.IN_PREPARATION)
    assignment = assign_reviewer(case, users["preparer"], users["management"])
    save_review(assignment, users["management"], answers={"resultat": "3"}, comment="Utkast.")
    return case, users, assignment


def assert_unchanged(assignment):
    review = Review.objects.get(assignment=assignment)
    assert (review.answers, review.comment, review.submitted_at) == ({"resultat": 3}, "Utkast.", None)


@pytest.mark.parametrize("bad", [6, 0, -1, "6", "tre", 3.5, True, "4,5"])
def test_score_out_of_range_is_refused_naming_the_criterion(sundsvall_review, bad):
    case, users, assignment = sundsvall_review
    answers = {**all_yes(case), "orsakssamband": bad}
    with pytest.raises(
        ReviewRefusedError, match=re.escape("Poängen för ”Orsakssamband” ska vara ett heltal från 1 till 5.")
    ):
        save_review(assignment, users["management"], answers=answers, comment="Ändrat.", submit=True)
    assert_unchanged(assignment)


def test_bad_answer_refused_also_in_a_draft(sundsvall_review):
    _case, users, assignment = sundsvall_review
    with pytest.raises(ReviewRefusedError, match="Poängen för ”Resultat”"):
        save_review(assignment, users["management"], answers={"resultat": "9"}, comment="Ändrat.")
    assert_unchanged(assignment)


@pytest.mark.parametrize("bad", ["kanske", 1, "", None])
def test_yes_no_answer_other_than_yes_or_no_is_refused(sundsvall_review, bad):
    case, users, assignment = sundsvall_review
    answers = {**all_yes(case), "samhallsekonomiska_vinster": bad}
    expected = "Svar saknas på: Samhällsekonomiska" if bad in ("", None) else "ska vara ja eller nej"
    with pytest.raises(ReviewRefusedError, match=expected):
        save_review(assignment, users["management"], answers=answers, comment="Ändrat.", submit=True)
    assert_unchanged(assignment)


def test_missing_answers_refused_on_submission_naming_them(sundsvall_review):
    case, users, assignment = sundsvall_review
    answers = all_yes(case)
    del answers["uppskalning"], answers["riskspridning"]
    with pytest.raises(ReviewRefusedError, match=r"^Svar saknas på: Möjlighet till uppskalning; Riskspridning\.$"):
        save_review(assignment, users["management"], answers=answers, comment="Ändrat.", submit=True)
    assert_unchanged(assignment)


def test_unknown_criterion_refused(sundsvall_review):
    case, users, assignment = sundsvall_review
    with pytest.raises(ReviewRefusedError, match=re.escape("Okänt kriterium: genomforbar.")):
        save_review(assignment, users["management"], answers={**all_yes(case), "genomforbar": "ja"}, submit=True)
    assert_unchanged(assignment)


def test_submitted_review_is_frozen(sundsvall_review):
    case, users, assignment = sundsvall_review
    save_review(assignment, users["management"], answers=all_yes(case, score=5), submit=True)
    with pytest.raises(ReviewRefusedError, match=re.escape("Bedömningen är redan inlämnad och kan inte ändras.")):
        save_review(assignment, users["management"], answers=all_yes(case, score=1), submit=True)
    assert Review.objects.get(assignment=assignment).answers["resultat"] == 5


def test_page_refuses_out_of_range_and_stores_nothing(client, sundsvall_review):
    case, users, assignment = sundsvall_review
    client.force_login(users["management"])
    post = {f"answer-{key}": ("ja" if value is True else str(value)) for key, value in all_yes(case).items()}
    post["answer-resultat"] = "7"
    response = client.post(reverse("reviews:review", args=[case.pk, assignment.pk]), {**post, "submit": ""})
    assert response.status_code == 400
    assert "Bedömningen sparades inte: Poängen för ”Resultat” ska vara ett heltal från 1 till 5." in (
        response.content.decode()
    )
    assert_unchanged(assignment)
    post["answer-resultat"] = "2"
    client.post(reverse("reviews:review", args=[case.pk, assignment.pk]), {**post, "submit": ""})
    review = Review.objects.get(assignment=assignment)
    assert (review.answers["resultat"], review.submitted_at is not None) == (2, True)


def test_refused_review_comes_back_with_the_answers_and_the_error_by_the_criterion(client, sundsvall_review):
    case, users, assignment = sundsvall_review
    client.force_login(users["management"])
    post = {"answer-resultat": "5", "answer-samverkan": "2", "answer-samhallsekonomiska_vinster": "nej"}

    response = client.post(
        reverse("reviews:review", args=[case.pk, assignment.pk]),
        {**post, "comment": "Svag kalkyl, stark samverkan.", "submit": ""},
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert "Bedömningen sparades inte: Svar saknas på:" in content
    # What was given is still chosen, and each missing criterion says so beside it.
    assert 'value="5" id="answer-preparation-resultat-5" checked' in content
    assert 'value="2" id="answer-preparation-samverkan-2" checked' in content
    assert 'value="nej" id="answer-preparation-samhallsekonomiska_vinster-nej" checked' in content
    assert 'id="error-preparation-orsakssamband">Svara på kriteriet innan bedömningen lämnas in.</p>' in content
    assert 'id="error-preparation-resultat"' not in content
    assert "Svag kalkyl, stark samverkan.</textarea>" in content
    assert_unchanged(assignment)


def test_review_page_shows_the_saved_draft(client, sundsvall_review):
    case, users, assignment = sundsvall_review
    client.force_login(users["management"])

    content = client.get(reverse("reviews:review", args=[case.pk, assignment.pk])).content.decode()

    assert 'value="3" id="answer-preparation-resultat-3" checked' in content
    assert "Utkast.</textarea>" in content


def test_review_refused_for_someone_else_shows_the_reason_and_stores_nothing(client, sundsvall_review):
    case, users, assignment = sundsvall_review
    client.force_login(users["controller"])

    response = client.post(
        reverse("reviews:review", args=[case.pk, assignment.pk]), {"answer-resultat": "1", "submit": ""}
    )

    assert response.status_code == 400
    assert "Bara den tilldelade bedömaren kan skriva bedömningen." in response.content.decode()
    assert_unchanged(assignment)


# ---- Who and when: refusals as careful as grants -------------------------------------------------


@pytest.mark.parametrize("role", ["applicant", "management", "board", "decision_body", "controller"])
def test_only_the_preparing_body_assigns(case_in, role):
    case, users = case_in("norrkoping", S.IN_PREPARATION)
    with pytest.raises(ReviewRefusedError, match=r"^Bara .+ i ärendets kommun kan tilldela bedömare\.$"):
        assign_reviewer(case, users[role], users["management"])
    assert not ReviewAssignment.objects.exists()
    assert not Notification.objects.exists()


def test_preparer_of_another_municipality_cannot_assign(case_in, people):
    case, _users = case_in("ystad", S.IN_PREPARATION)
    heby = people("heby")
    with pytest.raises(ReviewRefusedError, match="i ärendets kommun kan tilldela bedömare"):
        assign_reviewer(case, heby["preparer"], heby["management"])
    assert not ReviewAssignment.objects.exists()


def test_reviewer_must_be_staff_of_the_cases_municipality(case_in, people):
    case, users = case_in("heby", S.IN_PREPARATION)
    other = people("ale")["management"]
    for reviewer in (other, users["applicant"]):
        with pytest.raises(ReviewRefusedError, match="bara personal i ärendets kommun kan vara bedömare"):
            assign_reviewer(case, users["preparer"], reviewer)
    inactive = UserFactory(municipality=case.municipality, roles=[Role.MANAGEMENT], is_active=False)
    with pytest.raises(ReviewRefusedError, match="bara personal"):
        assign_reviewer(case, users["preparer"], inactive)
    assert not ReviewAssignment.objects.exists()


def test_same_reviewer_not_assigned_twice(case_in):
    case, users = case_in("heby", S.IN_PREPARATION)
    assign_reviewer(case, users["preparer"], users["management"])
    with pytest.raises(ReviewRefusedError, match="är redan bedömare av ärendet"):
        assign_reviewer(case, users["preparer"], users["management"])
    assert ReviewAssignment.objects.count() == 1


@pytest.mark.parametrize(
    ("slug", "state"),
    [("heby", S.DRAFT), ("ystad", S.IDEA_SUBMITTED), ("ystad", S.IDEA_APPROVED), ("heby", S.GRANTED)],
)
def test_no_assignment_outside_the_review_stages(case_in, slug, state):
    case, users = case_in(slug, state)
    with pytest.raises(ReviewRefusedError, match=r"^Bedömare kan inte tilldelas när .+\.$"):
        assign_reviewer(case, users["preparer"], users["management"])
    assert not ReviewAssignment.objects.exists()


def test_no_assignment_in_a_stage_without_criteria(case_in):
    # Ale's criteria all belong to the preparation; its idea review has none.
    case, users = case_in("ale", S.IDEA_IN_REVIEW)
    with pytest.raises(ReviewRefusedError, match=r"^Regelverket har inga bedömningskriterier för idéprövning\.$"):
        assign_reviewer(case, users["preparer"], users["management"])


def test_only_the_assigned_reviewer_writes_the_review(sundsvall_review):
    case, users, assignment = sundsvall_review
    for someone in (users["preparer"], users["board"], users["applicant"]):
        with pytest.raises(
            ReviewRefusedError, match=re.escape("Bara den tilldelade bedömaren kan skriva bedömningen.")
        ):
            save_review(assignment, someone, answers=all_yes(case), submit=True)
    assert_unchanged(assignment)


def test_review_refused_once_the_case_has_left_the_stage(case_in):
    case, users = case_in("heby", S.IN_PREPARATION)
    assignment = assign_reviewer(case, users["preparer"], users["management"])
    case = walk_to(case, S.GRANTED, users)
    with pytest.raises(ReviewRefusedError, match=r"^Bedömningen kan inte göras när ärendet är beviljat\.$"):
        save_review(assignment, users["management"], answers=all_yes(case), submit=True)
    assert Review.objects.get(assignment=assignment).submitted_at is None


def test_reviewer_of_another_municipality_cannot_post_to_the_case(client, sundsvall_review, people):
    case, _users, assignment = sundsvall_review
    outsider = people("heby")["preparer"]
    client.force_login(outsider)
    response = client.post(reverse("reviews:review", args=[case.pk, assignment.pk]), {"submit": ""})
    assert response.status_code == 404
    response = client.post(reverse("reviews:assign", args=[case.pk]), {"reviewer": outsider.pk})
    assert response.status_code == 404
    assert_unchanged(assignment)


# ---- Blindness ---------------------------------------------------------------------------------


def test_reviewer_sees_no_other_review_until_their_own_is_submitted(client, case_in):
    case, users = case_in("sundsvall", S.IN_PREPARATION)
    first, second = users["management"], users["board"]
    mine = assign_reviewer(case, users["preparer"], first)
    submitted_reviews(case, users["preparer"], [second], all_yes(case, score=2), comment="Hemlig kommentar")

    html = page(client, first, case)
    assert "Du ser de andra bedömningarna när du har lämnat in din egen." in html
    for secret in ("Hemlig kommentar", "Resultat per kriterium", "Rekommendation", "Viktad summa", "medel 2"):
        assert secret not in html
    assert str(second) not in reviews_section(html)  # the history says who submitted; the section not

    save_review(mine, first, answers=all_yes(case, score=4), submit=True)
    html = page(client, first, case)
    assert "Hemlig kommentar" in html
    assert "Resultat per kriterium" in html
    assert "medel 3,00 (min 2, max 4)" in html
    assert "stor spridning" in html


def test_preparer_sees_submitted_reviews_and_others_see_none(client, case_in):
    case, users = case_in("heby", S.IN_PREPARATION)
    submitted_reviews(case, users["preparer"], [users["management"]], all_yes(case), comment="Synlig för beredare")
    assert "Synlig för beredare" in page(client, users["preparer"], case)
    html = page(client, users["decision_body"], case)
    assert "Synlig för beredare" not in html
    assert "Bedömningarna visas för den beredande gruppen och för bedömarna." in html
    html = page(client, users["applicant"], case)
    assert 'id="bedomningar"' not in html
    assert "Synlig för beredare" not in html


def test_preparer_who_is_also_a_reviewer_is_blind_until_submitting(client, case_in):
    case, users = case_in("heby", S.IN_PREPARATION)
    assign_reviewer(case, users["preparer"], users["preparer"])
    submitted_reviews(case, users["preparer"], [users["board"]], all_yes(case), comment="Annans kommentar")
    assert "Annans kommentar" not in page(client, users["preparer"], case)
