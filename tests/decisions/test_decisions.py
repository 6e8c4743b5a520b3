import datetime
import re
import subprocess
from decimal import Decimal

import pytest

from applications.enums import CaseState as S
from applications.models import Case
from applications.services import TransitionRefusedError
from applications.services.content import create_case
from core.formatting import format_kronor
from decisions.models import Decision, DecisionKind, IssuedDocument
from decisions.services import (
    DecisionRefusedError,
    asked_total,
    issue_application,
    issue_decision_basis,
    issue_decision_documents,
    record_decision,
)
from demo.walk import walk_to

pytestmark = pytest.mark.django_db
MEETING = datetime.date(2026, 9, 15)


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")


def ready(new_case, slug, title="Tidiga insatser"):
    case, users = new_case(slug, title=title)
    return walk_to(case, S.READY_FOR_DECISION, users), users


def split_of(case):
    return {cost.year: cost.amount for cost in case.costs.all()}


def pdf_text(document, tmp_path):
    path = tmp_path / f"{document.pk}.pdf"
    path.write_bytes(bytes(document.content))
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607


@pytest.mark.parametrize("slug", ["heby", "ale", "sundsvall", "ystad", "norrkoping"])
def test_decision_is_recorded_and_its_documents_issued(new_case, today, tmp_path, slug):
    case, users = ready(new_case, slug)
    total = asked_total(case)

    decision = record_decision(
        users["decision_body"],
        cases=[case],
        kind=DecisionKind.GRANT,
        meeting_date=MEETING,
        paragraph="42",
        reason="Insatsen uppfyller riktlinjens kriterier.",
        amounts={case.pk: (total, split_of(case))},
    )
    documents = issue_decision_documents(decision, users["decision_body"])

    assert Case.objects.get(pk=case.pk).state == S.GRANTED
    text = pdf_text(documents[0], tmp_path)
    assert case.number in text
    assert "§ 42" in text
    readable = text.replace("\xa0", " ")
    for year, amount in split_of(case).items():
        kronor = format_kronor(amount).replace("\xa0", " ")
        assert re.search(rf"{year}\s+{kronor}", readable), (year, kronor)
    assert re.search(rf"Totalt\s+{format_kronor(total).replace(chr(160), ' ')}", readable)
    assert "sida 1 av 1" in text
    assert b'pdfaid:part="3"' in _xmp(documents[0])


def _xmp(document):
    import re
    import zlib

    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", bytes(document.content), re.S):
        data = match.group(1)
        try:
            data = zlib.decompress(data)
        except zlib.error:
            continue
        if b"pdfaid" in data:
            return data
    return b""


def test_split_that_does_not_add_up_is_refused(new_case, today):
    case, users = ready(new_case, "ystad")
    split = split_of(case)
    first_year = min(split)
    split[first_year] += Decimal("1.00")
    with pytest.raises(DecisionRefusedError, match="fördelningen per år blir"):
        record_decision(
            users["decision_body"],
            cases=[case],
            kind=DecisionKind.GRANT,
            meeting_date=MEETING,
            paragraph="1",
            reason="Ok.",
            amounts={case.pk: (asked_total(case), split)},
        )
    assert Case.objects.get(pk=case.pk).state == S.READY_FOR_DECISION


def two_ready_cases(people, slug):
    users = people(slug)
    cases = [walk_to(create_case(users["applicant"], title=title), S.READY_FOR_DECISION, users) for title in "AB"]
    return cases, users


def test_heby_decides_a_group_of_projects_as_one_whole(people, today):
    cases, users = two_ready_cases(people, "heby")

    decision = record_decision(
        users["decision_body"],
        cases=cases,
        kind=DecisionKind.REJECT,
        meeting_date=MEETING,
        paragraph="7",
        reason="Medlen räcker inte.",
    )

    assert [line.case for line in decision.lines.all()] == cases
    assert {Case.objects.get(pk=c.pk).state for c in cases} == {S.REJECTED}


def test_ystad_cannot_decide_a_group(people, today):
    cases, users = two_ready_cases(people, "ystad")

    with pytest.raises(DecisionRefusedError, match="medger inte att flera ärenden beslutas"):
        record_decision(
            users["decision_body"],
            cases=cases,
            kind=DecisionKind.REJECT,
            meeting_date=MEETING,
            paragraph="8",
            reason="Nej.",
        )

    assert {Case.objects.get(pk=c.pk).state for c in cases} == {S.READY_FOR_DECISION}


def test_sundsvall_rejection_points_to_other_funding(new_case, today, tmp_path):
    case, users = ready(new_case, "sundsvall")
    decision = record_decision(
        users["decision_body"],
        cases=[case],
        kind=DecisionKind.REJECT,
        meeting_date=MEETING,
        paragraph="3",
        reason="Svag evidens.",
    )
    letter = issue_decision_documents(decision, users["decision_body"])[1]
    assert "Vinnova" in decision.referral
    assert "Vinnova" in pdf_text(letter, tmp_path)


def test_decision_by_wrong_role_or_not_ready_case_is_refused(people, today):
    users = people("norrkoping")
    case = walk_to(create_case(users["applicant"], title="Klar"), S.READY_FOR_DECISION, users)
    draft = create_case(users["applicant"], title="Utkast")

    with pytest.raises(DecisionRefusedError, match="Bara Kommunstyrelsen kan fatta beslutet"):
        record_decision(
            users["preparer"], cases=[case], kind=DecisionKind.REJECT, meeting_date=MEETING, paragraph="1", reason="x"
        )
    with pytest.raises(TransitionRefusedError, match="när ansökan är ett utkast"):
        record_decision(
            users["decision_body"],
            cases=[draft],
            kind=DecisionKind.REJECT,
            meeting_date=MEETING,
            paragraph="2",
            reason="x",
        )

    assert not Decision.objects.exists()
    assert Case.objects.get(pk=case.pk).state == S.READY_FOR_DECISION


def test_issued_document_is_immutable_and_the_same_bytes(new_case, today):
    case, users = ready(new_case, "heby")
    document = issue_decision_basis(case, users["preparer"])
    again = IssuedDocument.objects.get(pk=document.pk)
    assert bytes(again.content) == bytes(document.content)
    import hashlib

    assert again.sha256 == hashlib.sha256(bytes(again.content)).hexdigest()
    with pytest.raises(RuntimeError):
        again.save()
    with pytest.raises(RuntimeError):
        IssuedDocument.objects.all().delete()


def test_decision_basis_lists_hebys_sixteen_points(new_case, today, tmp_path):
    case, users = ready(new_case, "heby")
    text = pdf_text(issue_decision_basis(case, users["preparer"]), tmp_path)
    for number, section in enumerate(case.rules.application.sections, start=1):
        assert f"{number}. {section.title[:25]}" in text.replace("\n", " ")


def test_application_document_holds_the_submitted_text(new_case, today, tmp_path):
    case, users = ready(new_case, "ystad")
    text = pdf_text(issue_application(case, users["preparer"]), tmp_path)
    assert case.rules.application.sections[0].title in text


def test_decision_through_the_case_page_and_download_returns_the_same_bytes(client, people, today):
    from django.urls import reverse

    users = people("ystad")
    case = walk_to(create_case(users["applicant"], title="Närvaro"), S.READY_FOR_DECISION, users)
    client.force_login(users["decision_body"])
    years = {f"year_{case.pk}_{year}": str(amount) for year, amount in split_of(case).items()}
    client.post(
        reverse("decisions:record", args=[case.pk]),
        {
            "kind": "grant",
            "meeting_date": "2026-09-15",
            "paragraph": "12",
            f"total_{case.pk}": str(asked_total(case)),
            "reason": "Uppfyller kriterierna.",
            **years,
        },
    )
    case.refresh_from_db()
    assert case.state == S.GRANTED
    documents = list(case.documents.order_by("id"))
    assert [d.kind for d in documents] == ["decision", "letter"]
    first = client.get(reverse("decisions:document", args=[documents[0].pk]))
    second = client.get(reverse("decisions:document", args=[documents[0].pk]))
    assert first.content == second.content == bytes(documents[0].content)
    assert first["ETag"] == f'"{documents[0].sha256}"'
    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert "Handling upprättad" in html
    client.force_login(people("heby")["decision_body"])
    assert client.get(reverse("decisions:document", args=[documents[0].pk])).status_code == 404


def test_split_error_through_the_page_names_the_problem(client, people, today):
    from django.urls import reverse

    users = people("ystad")
    case = walk_to(create_case(users["applicant"], title="Närvaro"), S.READY_FOR_DECISION, users)
    client.force_login(users["decision_body"])
    years = {f"year_{case.pk}_{year}": "1" for year in split_of(case)}
    response = client.post(
        reverse("decisions:record", args=[case.pk]),
        {
            "kind": "grant",
            "meeting_date": "2026-09-15",
            "paragraph": "12",
            f"total_{case.pk}": str(asked_total(case)),
            "reason": "Ok.",
            **years,
        },
    )
    form = response.context["form"]
    first_year = f"year_{case.pk}_{min(split_of(case))}"
    assert response.status_code == 400
    assert form.errors == {
        first_year: [f"{case.number}: fördelningen per år blir 3\xa0kr men totalbeloppet är 1\xa0500\xa0000\xa0kr."]
    }
    assert form[first_year].value() == "1"
    assert "fördelningen per år blir 3\xa0kr men totalbeloppet är 1\xa0500\xa0000\xa0kr" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == S.READY_FOR_DECISION


def test_meeting_documents_render_in_a_task_with_progress(client, people, today, django_capture_on_commit_callbacks):
    from django.urls import reverse

    from decisions.models import MeetingDocumentsJob

    users = people("heby")
    cases = [walk_to(create_case(users["applicant"], title=t), S.READY_FOR_DECISION, users) for t in "AB"]
    client.force_login(users["decision_body"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("decisions:meeting"), {"meeting_date": "2026-09-15"})
    job = MeetingDocumentsJob.objects.get()
    assert response.url == reverse("decisions:job", args=[job.pk])
    assert (job.status, job.done, job.total) == ("done", 3, 3)
    assert [d.kind for d in job.documents.order_by("id")] == ["agenda", "decision_basis", "decision_basis"]
    html = client.get(response.url).content.decode()
    assert "<p>Klar: 3 handlingar är skapade.</p>" in html  # the status, announced
    assert "3 av 3 handlingar" in html
    assert "data-poll=" not in html  # done: nothing more to follow
    assert {d.case_id for d in job.documents.filter(kind="decision_basis")} == {c.pk for c in cases}


def test_correction_is_a_new_document_naming_the_one_it_replaces(people, today, tmp_path):
    from decisions.services import issue_correction

    users = people("heby")
    case = walk_to(create_case(users["applicant"], title="Rättas"), S.READY_FOR_DECISION, users)
    original = issue_decision_basis(case, users["preparer"])

    correction = issue_correction(original, users["preparer"])

    assert (correction.replaces, correction.title) == (original, f"Rättelse: {original.title}")
    assert f"Ersätter {original.title}" in pdf_text(correction, tmp_path)
    assert IssuedDocument.objects.get(pk=original.pk).sha256 == original.sha256


def test_rendering_failure_issues_nothing_and_says_what_failed(people, today, monkeypatch, client):
    from django.urls import reverse

    import core.pdf

    users = people("heby")
    case = walk_to(create_case(users["applicant"], title="Trasig"), S.READY_FOR_DECISION, users)

    def broken(*args, **kwargs):
        raise OSError("typsnittet saknas")

    monkeypatch.setattr(core.pdf.HTML, "write_pdf", broken)
    client.force_login(users["management"])
    response = client.post(reverse("decisions:issue_basis", args=[case.pk]), follow=True)

    assert "Beslutsunderlaget kunde inte skapas: typsnittet saknas" in response.content.decode()
    assert not IssuedDocument.objects.exists()


def test_norrkoping_decision_basis_holds_the_municipality_wide_perspective(people, today, tmp_path):
    from applications.services.lifecycle import run_transition
    from applications.services.steps import complete_step

    users = people("norrkoping")
    case = walk_to(create_case(users["applicant"], title="Perspektiv"), S.IN_PREPARATION, users)
    for step in case.current_steps("preparation"):
        complete_step(
            case, step.pk, users[step.actor_role], outcome="positive", comment=f"Agenda 2030 mål 4: {step.key}"
        )
    case = run_transition(case, "mark_ready_for_decision", users["preparer"])

    text = " ".join(pdf_text(issue_decision_basis(case, users["preparer"]), tmp_path).split())

    step = next(s for s in case.current_steps("preparation") if s.key == "kommunovergripande_perspektiv")
    assert " ".join(step.name.split()[:2]) in text
    assert text.count("Agenda 2030 mål 4:") == 2


def test_agenda_follows_the_latest_priority_proposal(people, today):
    from decisions.meetings import agenda_cases
    from reviews.models import PriorityProposal

    users = people("heby")
    first, second = (walk_to(create_case(users["applicant"], title=t), S.READY_FOR_DECISION, users) for t in "AB")
    PriorityProposal.objects.create(
        municipality=first.municipality, case_ids=[second.pk, first.pk], created_by=users["preparer"]
    )

    assert agenda_cases(users["decision_body"]) == [second, first]


def test_norrkoping_meeting_gets_one_tjansteskrivelse_with_the_applications_attached(
    client, people, today, tmp_path, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from applications.services.lifecycle import run_transition
    from applications.services.steps import complete_step
    from decisions.models import MeetingDocumentsJob

    users = people("norrkoping")
    cases = []
    for title in ("Läsfrämjande", "Fältare"):
        case = walk_to(create_case(users["applicant"], title=title), S.IN_PREPARATION, users)
        for step in case.current_steps("preparation"):
            comment = f"Mål 4: {title}" if step.key == "kommunovergripande_perspektiv" else "Ok."
            complete_step(case, step.pk, users[step.actor_role], outcome="positive", comment=comment)
        cases.append(run_transition(case, "mark_ready_for_decision", users["preparer"]))
    client.force_login(users["preparer"])
    page = client.get(reverse("decisions:meeting")).content.decode()
    assert "Skapa föredragningslista och tjänsteskrivelse med ansökningarna som bilagor" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("decisions:meeting"), {"meeting_date": "2026-10-20"})

    job = MeetingDocumentsJob.objects.get()
    kinds = [d.kind for d in job.documents.order_by("id")]
    assert (job.status, job.done, job.total) == ("done", 4, 4)
    assert kinds == ["agenda", "application", "application", "round_basis"]
    basis = job.documents.get(kind="round_basis")
    applications = list(job.documents.filter(kind="application").order_by("id"))
    text = " ".join(pdf_text(basis, tmp_path).split())
    assert "Till Kommunstyrelsen, sammanträde 2026-10-20" in text
    assert "Kommunövergripande perspektiv" in text
    for case, title in zip(cases, ("Läsfrämjande", "Fältare"), strict=True):
        assert case.number in text
        assert f"Mål 4: {title}" in text
    for application in applications:
        assert application.title in text
    path = tmp_path / "round.pdf"
    path.write_bytes(bytes(basis.content))
    (tmp_path / "attached").mkdir()
    listing = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    subprocess.run(["pdfdetach", "-saveall", "-o", str(tmp_path / "attached"), str(path)], check=True)  # noqa: S603, S607
    assert [line.split(": ", 1)[1] for line in listing.splitlines()[1:]] == [a.filename for a in applications]
    for application in applications:
        assert (tmp_path / "attached" / application.filename).read_bytes() == bytes(application.content)
    assert client.get(reverse("decisions:document", args=[basis.pk])).status_code == 200
    client.force_login(people("heby")["preparer"])
    assert client.get(reverse("decisions:document", args=[basis.pk])).status_code == 404
