"""The result functions with hand-worked numbers (no database)."""

from decimal import Decimal

from municipalities.rulebook import RuleBook
from municipalities.rulebook.enums import CriterionKind, ReviewStage
from municipalities.rulebook.sections import Criterion
from reviews.results import AVSTYRKS, TILLSTYRKS, TVEKSAM, criterion_result, summarise, weighted_total
from tests.conftest import shipped_document

SUNDSVALL = RuleBook.of(shipped_document("sundsvall")).review.criteria_for(ReviewStage.PREPARATION)
HEBY = RuleBook.of(shipped_document("heby")).review.criteria_for(ReviewStage.PREPARATION)


def sundsvall_answers(resultat, orsak, uppskalning, samverkan, risk, kon, gates=True):
    return {
        "samhallsekonomiska_vinster": gates,
        "vinnande_forvaltning_medverkar": True,
        "resultat": resultat,
        "orsakssamband": orsak,
        "uppskalning": uppskalning,
        "samverkan": samverkan,
        "riskspridning": risk,
        "jamn_konsfordelning": kon,
    }


def test_weighted_total_sundsvall_hand_worked():
    # Means 4, 4, 4, 5, 2, 2 → on 0–1: .75 .75 .75 1 .25 .25; weights 25 20 20 15 10 10:
    # 18.75 + 15 + 15 + 15 + 2.5 + 2.5 = 68.75 of 100 → 68.8 (rounded half up).
    answers = [sundsvall_answers(5, 4, 3, 5, 2, 3), sundsvall_answers(3, 4, 5, 5, 2, 1)]
    assert weighted_total(SUNDSVALL, answers) == Decimal("68.8")


def test_weighted_total_bounds():
    assert weighted_total(SUNDSVALL, [sundsvall_answers(1, 1, 1, 1, 1, 1)]) == Decimal("0.0")
    assert weighted_total(SUNDSVALL, [sundsvall_answers(5, 5, 5, 5, 5, 5)]) == Decimal("100.0")


def test_weighted_total_is_none_without_weights():
    assert weighted_total(HEBY, [{c.key: True for c in HEBY}]) is None


def test_score_result_mean_min_max_and_spread():
    criterion = next(c for c in SUNDSVALL if c.key == "resultat")
    result = criterion_result(criterion, [{"resultat": 5}, {"resultat": 3}, {"resultat": 4}])
    assert (result.count, result.mean, result.low, result.high, result.spread) == (3, Decimal("4.00"), 3, 5, 2)
    assert result.large_spread is True


def test_score_mean_rounds_to_two_decimals_and_small_spread_is_not_flagged():
    criterion = next(c for c in SUNDSVALL if c.key == "samverkan")
    result = criterion_result(criterion, [{"samverkan": 2}, {"samverkan": 2}, {"samverkan": 3}])
    assert (result.mean, result.spread, result.large_spread) == (Decimal("2.33"), 1, False)


def test_yes_share_in_whole_per_cent():
    criterion = HEBY[0]
    result = criterion_result(criterion, [{criterion.key: True}, {criterion.key: True}, {criterion.key: False}])
    assert (result.yes, result.no, result.yes_share) == (2, 1, Decimal("67"))


def test_summary_sundsvall_recommends_at_60_or_more():
    summary = summarise(SUNDSVALL, [sundsvall_answers(5, 4, 3, 5, 2, 3), sundsvall_answers(3, 4, 5, 5, 2, 1)])
    assert summary.total == Decimal("68.8")
    assert summary.recommendation == TILLSTYRKS
    assert [r.criterion.key for r in summary.large_spreads] == ["resultat", "uppskalning", "jamn_konsfordelning"]


def test_summary_sundsvall_below_60_is_doubtful():
    # All 3 → 0.5 on every criterion → 50.0.
    summary = summarise(SUNDSVALL, [sundsvall_answers(3, 3, 3, 3, 3, 3)])
    assert (summary.total, summary.recommendation) == (Decimal("50.0"), TVEKSAM)


def test_summary_sundsvall_gate_majority_no_advises_against_whatever_the_scores():
    summary = summarise(
        SUNDSVALL,
        [
            sundsvall_answers(5, 5, 5, 5, 5, 5, gates=False),
            sundsvall_answers(5, 5, 5, 5, 5, 5, gates=False),
            sundsvall_answers(5, 5, 5, 5, 5, 5),
        ],
    )
    assert (summary.total, summary.recommendation) == (Decimal("100.0"), AVSTYRKS)


def test_heby_gate_tie_is_doubtful_and_non_gate_no_does_not_count():
    yes = {c.key: True for c in HEBY}
    tie = {**yes, "effekt_pa_arbetslosheten": False}
    assert summarise(HEBY, [yes, tie]).recommendation == TVEKSAM
    non_gate_no = {**yes, "langsiktighet": False, "samverkan": False}
    assert summarise(HEBY, [non_gate_no]).recommendation == TILLSTYRKS


def test_gate_score_at_lowest_value_advises_against():
    gate = Criterion(key="krav", title="Krav", kind=CriterionKind.SCORE, gate=True, cite="", scale_max=5)
    assert summarise([gate], [{"krav": 1}, {"krav": 1}, {"krav": 4}]).recommendation == AVSTYRKS
    assert summarise([gate], [{"krav": 1}, {"krav": 2}]).recommendation == TVEKSAM
    assert summarise([gate], [{"krav": 2}]).recommendation == TILLSTYRKS


def test_no_answers_no_recommendation():
    summary = summarise(HEBY, [])
    assert (summary.recommendation, summary.total, summary.reviewers) == (None, None, 0)
