"""The calculation against examples worked by hand, to the krona (evaluation.calculation is pure)."""

from decimal import Decimal as D  # noqa: N817 - D("…") keeps the hand-worked numbers readable

from evaluation.calculation import (
    CostLine,
    Inputs,
    OutcomeLine,
    calculate,
    difference_in_differences,
    line_values,
    monte_carlo,
    probability_positive_closed_form,
    validate,
)


def outcome(name="Färre placeringar", unit_cost=D(60500), quantity=D(1), **fields):
    fields.setdefault("split", {"municipality": D(100)})
    return OutcomeLine(name=name, unit_cost=unit_cost, quantity=quantity, baseline=D(5), **fields)


def simple(rate=D(10)):
    """100 000 kr in year 0; 60 500 kr of savings in years 1 and 2.
    At 10 %: PV benefits = 60 500/1.1 + 60 500/1.21 = 55 000 + 50 000 = 105 000."""
    return Inputs(
        discount_rate=rate,
        horizon=3,
        first_year=2026,
        costs=(CostLine(0, "municipality", D(100000)),),
        outcomes=(outcome(start_year=1, duration=2),),
    )


def test_present_values_npv_and_ratios_match_the_hand_worked_example():
    result = calculate(simple(), monte_carlo_draws=0)

    assert result.pv_costs == D("100000.00")
    assert result.pv_benefits == D("105000.00")
    assert result.npv == D("5000.00")
    assert result.benefit_cost_ratio == D("1.05")
    assert result.npv_per_krona == D("0.05")
    assert result.years == [2026, 2027, 2028]
    assert result.cumulative_discounted == [D("-100000.00"), D("-45000.00"), D("5000.00")]


def test_discounting_at_three_and_a_half_per_cent_to_the_krona():
    """100 000 kr two years ahead at 3.5 %: 100 000 / 1.035² = 100 000 / 1.071225 = 93 351.07."""
    inputs = Inputs(
        discount_rate=D("3.5"), horizon=3, outcomes=(outcome(unit_cost=D(100000), start_year=2, duration=1),)
    )

    assert calculate(inputs, monte_carlo_draws=0).pv_benefits == D("93351.07")


def test_payback_is_interpolated_within_the_year():
    """Nominal: -100 000, +60 500, +60 500 → -39 500 left after year 1, paid in 39 500/60 500 of
    year 2 → 2.65 years. Discounted: -100 000, +55 000, +50 000 → 2 + 45 000/50 000 = 2.90 years."""
    result = calculate(simple(), monte_carlo_draws=0)

    assert result.payback_years == D("2.65")
    assert result.discounted_payback_years == D("2.90")


def test_payback_is_none_when_the_flows_never_turn_positive():
    inputs = Inputs(discount_rate=D(0), horizon=2, costs=(CostLine(0, "municipality", D(100)),))

    assert calculate(inputs, monte_carlo_draws=0).payback_years is None


def test_deadweight_displacement_attribution_confidence_and_drop_off_lower_the_value():
    """2 × 10 000 kr × 0.8 (deadweight 20 %) × 0.9 (displacement 10 %) × 0.75 (attribution 25 %)
    × 0.75 (medium confidence) = 8 100 kr in the first year, halved (drop-off 50 %) the next."""
    line = outcome(
        unit_cost=D(10000),
        quantity=D(2),
        duration=2,
        deadweight=D(20),
        displacement=D(10),
        attribution=D(25),
        confidence="medium",
        drop_off=D(50),
    )

    assert line_values(line, 3) == [D("8100"), D("4050"), D(0)]
    assert calculate(Inputs(D(0), 3, outcomes=(line,)), monte_carlo_draws=0).pv_benefits == D("12150.00")


def test_transfers_count_for_each_payer_and_cancel_in_the_societal_view():
    """Year 0, no discounting. Costs: the social board pays 50 000. A placement avoided is worth
    100 000 (real resource), 60 % to the social board, 40 % to the region. Income support of
    110 000 no longer paid is a transfer: the board gains it, the individual loses it.
    Board: -50 000 + 60 000 + 110 000 = 120 000; region 40 000; individual -110 000.
    Society: -50 000 + 100 000 = 50 000 = 120 000 + 40 000 - 110 000."""
    inputs = Inputs(
        discount_rate=D(0),
        horizon=1,
        costs=(CostLine(0, "unit:1", D(50000)),),
        outcomes=(
            outcome("Placering", unit_cost=D(100000), split={"unit:1": D(60), "region": D(40)}),
            outcome(
                "Försörjningsstöd",
                unit_cost=D(110000),
                split={"unit:1": D(100)},
                transfer=True,
                transfer_from="individual",
                cashable=True,
            ),
        ),
    )

    result = calculate(inputs, payer_order=["unit:1", "region", "individual"], monte_carlo_draws=0)

    assert result.payer_totals == {"unit:1": D("120000.00"), "region": D("40000.00"), "individual": D("-110000.00")}
    assert result.npv == D("50000.00")
    assert sum(result.payer_totals.values()) == result.npv
    assert result.municipal_npv == D("120000.00")
    assert result.municipal_pv_costs == D("50000.00")
    assert result.municipal_cashable_pv == D("110000.00")
    assert [line.pv for line in result.lines] == [D("100000.00"), D("0.00")]


def test_payer_table_holds_nominal_and_discounted_values_per_year():
    result = calculate(simple(), monte_carlo_draws=0)

    assert result.payer_nominal["municipality"] == [D("-100000.00"), D("60500.00"), D("60500.00")]
    assert result.payer_discounted["municipality"] == [D("-100000.00"), D("55000.00"), D("50000.00")]


def test_npv_at_the_standard_rates():
    """At 0 %: 121 000 - 100 000 = 21 000. At 10 % it is 5 000 (above)."""
    rates = dict(calculate(simple(), monte_carlo_draws=0).npv_at_rates)

    assert rates[D(0)] == D("21000.00")
    assert list(rates) == [D(0), D("3.5"), D(5), D(7)]
    # 60 500/1.07 + 60 500/1.07² - 100 000 = 56 542.056 + 52 843.043 - 100 000 = 9 385.099
    assert rates[D(7)] == D("9385.10")


def test_switching_value_is_how_much_a_line_may_shrink_before_npv_is_zero():
    """NPV 5 000 over the line's PV 105 000 = 4.8 %."""
    assert calculate(simple(), monte_carlo_draws=0).lines[0].switching_value == D("4.8")


def test_tornado_moves_each_input_and_puts_the_widest_swing_first():
    """The high-confidence line ±10 %: 5 000 ∓ 10 500 (width 21 000); costs ±10 %: 5 000 ∓ 10 000
    (20 000); the discount rate from 7 % (9 385.10) to 0 % (21 000; width 11 614.90)."""
    bars = calculate(simple(), monte_carlo_draws=0).tornado

    assert [(bar.label, bar.low, bar.high) for bar in bars] == [
        ("Färre placeringar", D("-5500.00"), D("15500.00")),
        ("Kostnader ±10 %", D("-5000.00"), D("15000.00")),
        ("Diskonteringsränta 0–7 %", D("9385.10"), D("21000.00")),
    ]


def test_difference_in_differences_beside_the_naive_estimates():
    """Target 12 → 6, comparison 10 → 8: before/after -6, post-only 6 - 8 = -2,
    difference-in-differences -6 - (-2) = -4."""
    assert difference_in_differences(D(12), D(6), D(10), D(8)) == {
        "difference_in_differences": D(-4),
        "before_after": D(-6),
        "post_only": D(-2),
    }
    assert difference_in_differences(D(12), D(6), None, D(8))["difference_in_differences"] is None


def ten_lines():
    lines = tuple(
        outcome(
            f"Effekt {i}",
            unit_cost=D(10000 + 1000 * i),
            start_year=1,
            duration=3,
            confidence=["high", "medium", "low"][i % 3],
        )
        for i in range(10)
    )
    return Inputs(D("3.5"), 10, (CostLine(0, "municipality", D(300000)),), lines)


def test_monte_carlo_probability_is_within_half_a_percentage_point_of_the_closed_form():
    inputs = ten_lines()
    closed = probability_positive_closed_form(inputs)

    result = monte_carlo(inputs, draws=100_000, seed=7)

    assert 0.2 < closed < 0.8  # a probability where sampling error would show
    assert abs(float(result.probability_positive) - closed) <= 0.005
    assert result.p10 < result.p50 < result.p90


def test_monte_carlo_is_reproducible_with_its_seed():
    assert monte_carlo(ten_lines(), draws=5000, seed=3) == monte_carlo(ten_lines(), draws=5000, seed=3)
    assert monte_carlo(ten_lines(), draws=5000, seed=3) != monte_carlo(ten_lines(), draws=5000, seed=4)


def test_valid_inputs_have_no_problems():
    assert validate(simple()) == []


def test_bad_inputs_are_refused_naming_the_field():
    inputs = Inputs(
        discount_rate=D(120),
        horizon=21,
        costs=(CostLine(25, "municipality", D(-1)),),
        outcomes=(
            OutcomeLine(
                "Utan underlag",
                unit_cost=None,
                quantity=D(1),
                baseline=None,
                deadweight=D(101),
                attribution=D(-5),
                split={"unit:1": D(50), "region": D(40)},
            ),
        ),
    )

    problems = {problem.field: problem.message for problem in validate(inputs)}

    assert problems == {
        "discount_rate": "Diskonteringsräntan ska vara mellan 0 och 100 %.",
        "horizon": "Kalkylperioden ska vara 1–20 år.",
        "costs.0.year": "Året ligger utanför kalkylperioden.",
        "costs.0.granted": "Ange ett belopp som inte är negativt.",
        "outcomes.0.unit_cost": "Välj en enhetskostnad för effekten.",
        "outcomes.0.baseline": "Ange utgångsvärdet (basmätningen) för effekten.",
        "outcomes.0.deadweight": "Ange en andel mellan 0 och 100 %.",
        "outcomes.0.attribution": "Ange en andel mellan 0 och 100 %.",
        "outcomes.0.split": "Fördelningen mellan betalare ska bli 100 %, men blir 90 %.",
    }


def test_a_transfer_needs_the_payer_it_comes_from():
    inputs = Inputs(D(0), 1, outcomes=(outcome(transfer=True),))

    assert [p.field for p in validate(inputs)] == ["outcomes.0.transfer_from"]


def test_warns_when_most_value_is_more_than_ten_years_out():
    inputs = Inputs(D(0), 20, outcomes=(outcome(start_year=10, duration=10), outcome(duration=2)))

    assert calculate(inputs, monte_carlo_draws=0).warnings == [
        "Mer än hälften av nyttan ligger mer än tio år fram i tiden."
    ]


def test_warns_when_most_value_rests_on_low_confidence():
    inputs = Inputs(D(0), 2, outcomes=(outcome(confidence="low", quantity=D(3)), outcome()))

    assert calculate(inputs, monte_carlo_draws=0).warnings == [
        "Mer än hälften av nyttan kommer från effekter med låg tillförlitlighet."
    ]


def test_warns_when_deadweight_is_taken_from_an_effect_already_measured_against_a_comparison_group():
    inputs = Inputs(D(0), 2, outcomes=(outcome(effect_source="comparison_group", deadweight=D(20)),))

    [warning] = calculate(inputs, monte_carlo_draws=0).warnings
    assert warning.startswith("Färre placeringar: effekten är skattad mot en jämförelsegrupp och dödviktsförlust")


def test_no_warning_for_a_comparison_group_effect_without_deadweight():
    inputs = Inputs(D(0), 2, outcomes=(outcome(effect_source="comparison_group"),))

    assert calculate(inputs, monte_carlo_draws=0).warnings == []


def test_consumed_amounts_replace_granted_ones_in_a_follow_up():
    costs = (CostLine(0, "municipality", D(100), consumed=D(80)), CostLine(0, "municipality", D(50)))

    assert calculate(Inputs(D(0), 1, costs=costs), monte_carlo_draws=0).pv_costs == D("150.00")
    assert calculate(Inputs(D(0), 1, costs=costs, use_consumed=True), monte_carlo_draws=0).pv_costs == D("130.00")
