"""What a registrar looks for in the decision documents: the tjänsteskrivelse's proposal, author
and recipients, the minutes extract's signatories and certification, the letter's handläggare,
the agenda's time and place, and a Swedish file name with the diarienummer for each."""

import datetime
import subprocess

import pytest
from django.urls import reverse

from applications.enums import CaseState as S
from applications.enums import StepStatus
from applications.models import Case
from audit.models import AuditEntry
from core.filenames import file_name, fold
from core.formatting import format_kronor
from decisions.models import Decision, DecisionKind, IssuedDocument, MeetingDocumentsJob, Proposal
from decisions.selectors import default_proposal, recipients
from decisions.services import asked_total, issue_decision_basis, issue_decision_documents
from demo.walk import walk_to
from tests.decisions.helpers import decide, decision_refused
from tests.decisions.test_decisions import MEETING, ready, split_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")


def pdf_text(document, tmp_path):
    path = tmp_path / f"{document.pk}.pdf"
    path.write_bytes(bytes(document.content))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    return " ".join(text.replace("\xa0", " ").split())


def folded(number):
    return number.replace(" ", "-").replace("/", "-")


def test_file_names_fold_swedish_letters_and_the_diarienummers_slash():
    assert fold("Förkalkyl för Åre och Älvdalen") == "Forkalkyl-for-Are-och-Alvdalen"
    assert file_name("beslutsbrev", "KS 2026/0042", "", None, extension="pdf") == "beslutsbrev-KS-2026-0042.pdf"
    assert file_name("protokollsutdrag", "2026-09-15", "paragraf 87", extension="pdf") == (
        "protokollsutdrag-2026-09-15-paragraf-87.pdf"
    )


def test_tjansteskrivelse_states_proposal_author_body_and_recipients(new_case, today, tmp_path):
    case, users = ready(new_case, "ystad")
    preparer = users["preparer"]
    preparer.title = "Utvecklingsstrateg"
    preparer.save()

    text = pdf_text(issue_decision_basis(case, preparer), tmp_path)

    body = case.rules.body_name(case.rules.decision_role)
    expected_proposal = " ".join(default_proposal(case).replace("\xa0", " ").split())
    assert f"Förslag till beslut {expected_proposal}" in text
    assert f"{body} beviljar {case.applicant_unit.name} {format_kronor(asked_total(case))}".replace("\xa0", " ") in text
    assert f"Handläggare {preparer.full_name}, Utvecklingsstrateg" in text
    assert preparer.email in text
    assert f"Beredande organ {case.rules.body_name(case.rules.decision_basis_role)}" in text
    for heading in ("Ärendet", "Beskrivning av ärendet", "Bedömning", "Remissvar från nämnderna", "Underskrifter"):
        assert heading in text
    assert "Beslutet skickas till" in text
    for recipient in recipients(case):
        assert recipient in text
    # Ystad's application is signed by the heads of the units taking part: each is sent the decision.
    heads = {unit.head.full_name for unit in case.municipality.units.filter(head__isnull=False)}
    assert any(head in text for head in heads)


def test_default_proposal_rejects_where_the_preparation_said_no(new_case, today):
    case, _users = ready(new_case, "ystad")
    body = case.rules.body_name(case.rules.decision_role)
    assert default_proposal(case).startswith(f"{body} beviljar")

    case.steps.filter(stage="preparation").update(status=StepStatus.DECLINED)

    assert default_proposal(Case.objects.get(pk=case.pk)) == f"{body} avslår ansökan ”{case.title}” ({case.number})."


def test_preparers_proposal_is_kept_printed_and_in_the_history(client, new_case, today, tmp_path):
    case, users = ready(new_case, "ystad")
    client.force_login(users["preparer"])
    url = reverse("decisions:issue_basis", args=[case.pk])
    text = "Kommunstyrelsen beviljar 1 200 000 kr, med villkor om halvtidsuppföljning."

    client.post(url, {"proposal": text})
    client.post(url, {"proposal": text})

    assert list(Proposal.objects.filter(case=case).values_list("text", flat=True)) == [text]
    entry = AuditEntry.objects.for_object(case).get(action="decision.proposal_written")
    assert (entry.actor, entry.reason) == (users["preparer"], text)
    documents = IssuedDocument.objects.filter(case=case, kind="decision_basis")
    assert documents.count() == 2
    assert f"Förslag till beslut {text}" in pdf_text(documents.last(), tmp_path)
    page = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert text in page  # the form shows the proposal in force


def test_empty_proposal_is_refused_and_issues_nothing(client, new_case, today):
    case, users = ready(new_case, "ystad")
    client.force_login(users["preparer"])

    response = client.post(reverse("decisions:issue_basis", args=[case.pk]), {"proposal": "  "}, follow=True)

    assert "Skriv förslaget till beslut." in response.content.decode()
    assert not IssuedDocument.objects.filter(case=case).exists()
    assert not Proposal.objects.exists()


def test_decision_form_records_the_minutes_signatories_printed_on_the_extract(client, new_case, today, tmp_path):
    case, users = ready(new_case, "ystad")
    client.force_login(users["preparer"])
    client.post(reverse("decisions:issue_basis", args=[case.pk]))
    client.force_login(users["decision_body"])
    form = client.get(reverse("decisions:record", args=[case.pk])).context["form"]
    assert form["secretary"].value() == users["decision_body"].full_name

    client.post(
        reverse("decisions:record", args=[case.pk]),
        {
            "kind": "grant",
            "meeting_date": "2026-09-15",
            "paragraph": "12",
            f"total_{case.pk}": str(asked_total(case)),
            **{f"year_{case.pk}_{year}": str(amount) for year, amount in split_of(case).items()},
            "reason": "Uppfyller kriterierna.",
            "secretary": "Sigrid Sekreterare",
            "adjusters": "Anna Andersson ,  Bertil Berg",
            "adjusted_on": "2026-09-15",
        },
    )

    decision = Decision.objects.get()
    assert (decision.secretary, decision.adjusters, decision.adjusted_on) == (
        "Sigrid Sekreterare",
        "Anna Andersson, Bertil Berg",
        datetime.date(2026, 9, 15),
    )
    entry = AuditEntry.objects.for_object(case).get(action="decision.recorded")
    assert (entry.data["secretary"], entry.data["adjusted_on"]) == ("Sigrid Sekreterare", "2026-09-15")
    extract = decision.documents.get(kind="decision")
    text = pdf_text(extract, tmp_path)
    for expected in (
        "Sigrid Sekreterare",
        "Vid protokollet, sekreterare",
        "Anna Andersson",
        "Bertil Berg",
        "Protokollet justerades 2026-09-15.",
        "Utdragsbestyrkande Utdraget bestyrks",
        users["decision_body"].full_name,
        "Expedieras till",
        f"{case.applicant_unit.name}, {case.created_by.full_name} (sökande)",
    ):
        assert expected in text, expected
    letter = decision.documents.get(kind="letter")
    letter_text = pdf_text(letter, tmp_path)
    # The letter names the handläggare who wrote the tjänsteskrivelse, and how to reach them.
    assert f"Handläggare {users['preparer'].full_name}" in letter_text
    assert f"E-post {users['preparer'].email}" in letter_text


@pytest.mark.parametrize(
    ("adjusted_on", "reason"),
    [
        (
            MEETING - datetime.timedelta(days=1),
            "Protokollet kan inte justeras 2026-09-14, före sammanträdet 2026-09-15.",
        ),
        (MEETING + datetime.timedelta(days=1), "Justeringsdagen 2026-09-16 har inte varit än."),
    ],
)
def test_minutes_checked_before_the_meeting_or_on_a_day_to_come_are_refused(new_case, today, adjusted_on, reason):
    case, users = ready(new_case, "ystad")

    refusal = decision_refused(
        case,
        DecisionKind.REJECT,
        users["decision_body"],
        meeting_date=MEETING,
        adjusters="Anna Andersson",
        adjusted_on=adjusted_on,
    )

    assert (str(refusal), refusal.field) == (reason, "adjusted_on")


def test_extract_without_justerare_leaves_lines_to_sign(new_case, today, tmp_path):
    case, users = ready(new_case, "heby")
    _case, decision = decide(case, DecisionKind.REJECT, users["decision_body"], meeting_date=MEETING)

    text = pdf_text(issue_decision_documents(decision, users["decision_body"])[0], tmp_path)

    assert f"{decision.recorded_by.full_name} Vid protokollet, sekreterare" in text
    assert "Justeringsdag:" in text


def test_every_document_is_downloaded_under_a_swedish_name_with_the_diarienummer(client, new_case, today):
    case, users = ready(new_case, "heby")
    client.force_login(users[case.rules.decision_basis_role])  # Heby: kommunledningsgruppen
    client.post(reverse("decisions:issue_basis", args=[case.pk]))
    _case, decision = decide(case, DecisionKind.REJECT, users["decision_body"], meeting_date=MEETING)
    issue_decision_documents(decision, users["decision_body"])
    names = {}
    for document in IssuedDocument.objects.filter(case=case):
        response = client.get(reverse("decisions:document", args=[document.pk]))
        names[document.kind] = response["Content-Disposition"]
    number = folded(case.number)

    assert names == {
        "decision_basis": f'inline; filename="tjansteskrivelse-{number}.pdf"',
        "decision": f'inline; filename="protokollsutdrag-{number}.pdf"',
        "letter": f'inline; filename="beslutsbrev-{number}.pdf"',
    }


def test_agenda_prints_the_meetings_time_and_place(client, people, today, tmp_path, django_capture_on_commit_callbacks):
    from applications.services.content import create_case

    users = people("heby")
    walk_to(create_case(users["applicant"], title="A"), S.READY_FOR_DECISION, users)
    client.force_login(users["decision_body"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("decisions:meeting"),
            {"meeting_date": "2026-09-15", "meeting_time": "13:30", "place": "Sammanträdesrummet, kommunhuset"},
        )

    job = MeetingDocumentsJob.objects.get()
    assert (job.meeting_time, job.place) == (datetime.time(13, 30), "Sammanträdesrummet, kommunhuset")
    agenda = job.documents.get(kind="agenda")
    assert "Tid 2026-09-15 kl. 13.30 Plats Sammanträdesrummet, kommunhuset" in pdf_text(agenda, tmp_path)
    response = client.get(reverse("decisions:document", args=[agenda.pk]))
    assert response["Content-Disposition"] == 'inline; filename="foredragningslista-heby-2026-09-15.pdf"'


def test_meeting_with_a_wrong_time_says_so_by_the_field_and_starts_nothing(client, people, today):
    from applications.services.content import create_case

    users = people("heby")
    walk_to(create_case(users["applicant"], title="A"), S.READY_FOR_DECISION, users)
    client.force_login(users["decision_body"])

    response = client.post(reverse("decisions:meeting"), {"meeting_date": "2026-09-15", "meeting_time": "25.99"})

    assert response.status_code == 400
    assert response.context["form"].errors == {"meeting_time": ["Ange klockslaget (TT:MM)."]}
    assert not MeetingDocumentsJob.objects.exists()
