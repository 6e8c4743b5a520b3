"""The socioeconomic calculation as pure functions over dataclasses: no database, no request.

Method (written out so a reader can check a result by hand):

- Years are counted from the calculation's first year, index 0, and discounted to the start of
  that year: a flow in year t is worth flow / (1 + r)^t today. The horizon is H years, t = 0..H-1.
- A cost line is what a funder pays in one year: the amount granted, or, in a follow-up, the
  amount actually consumed where it has been entered.
- An outcome line values a change in volume (e.g. 2 fewer placements a year) at a unit cost.
  Its value in year t, for start year s and duration d (s <= t < s + d), is
      quantity × unit cost × (1 − drop-off)^(t − s)
               × (1 − deadweight) × (1 − displacement) × (1 − attribution) × confidence weight
  where deadweight is what would have happened anyway, displacement what merely moves elsewhere,
  attribution the share owed to others than the effort, and the confidence weight lowers claims
  resting on weak evidence (high 100 %, medium 75 %, low 50 %).
- The value is split between payers (each nämnd, the region, the state, the individual, others);
  the split adds up to 100 %. A transfer between payers (e.g. income support) is a gain for the
  split's payers and the same loss for the payer it comes from: it counts in a payer's view and
  cancels in the societal view. A real resource (a placement not needed) counts in both.
- Net present value (NPV) = PV of benefits − PV of costs, in the societal view unless a view is
  named. Benefit–cost ratio = PV benefits / PV costs (the SROI ratio). Payback is the point in time
  when the cumulative net flow turns and stays non-negative, interpolated within the year.
- Money is Decimal throughout; numpy floats are used only inside the Monte Carlo run, whose
  results are rounded back to Decimal.
"""

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.utils.translation import gettext as _

from .enums import (
    CONFIDENCE_SPREAD,
    CONFIDENCE_WEIGHT,
    MAX_HORIZON,
    MONTE_CARLO_DRAWS,
    MONTE_CARLO_SEED,
    SENSITIVITY_RATES,
    EffectSource,
    is_municipal_payer,
)

ORE = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
ONE = Decimal(1)


def to_ore(value):
    return Decimal(value).quantize(ORE, rounding=ROUND_HALF_UP)


def percent(value):
    """12.5 (per cent) → Decimal('0.125')."""
    return Decimal(value) / HUNDRED


# ---- Inputs -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CostLine:
    year: int  # index from the calculation's first year
    payer: str
    granted: Decimal
    consumed: Decimal | None = None

    def amount(self, use_consumed):
        return self.consumed if use_consumed and self.consumed is not None else self.granted


@dataclass(frozen=True)
class OutcomeLine:
    name: str
    unit_cost: Decimal | None
    quantity: Decimal  # change in volume per year (positive = fewer costly events)
    baseline: Decimal | None  # the volume without the effort, which the change is measured against
    start_year: int = 0
    duration: int = 1
    drop_off: Decimal = ZERO  # per cent a year
    deadweight: Decimal = ZERO  # per cent
    attribution: Decimal = ZERO  # per cent
    displacement: Decimal = ZERO  # per cent
    confidence: str = "high"
    cashable: bool = False  # frigörbar: the money can be taken out of a budget
    transfer: bool = False
    transfer_from: str = ""
    split: dict = field(default_factory=dict)  # payer → per cent
    effect_source: str = EffectSource.ESTIMATE


@dataclass(frozen=True)
class Inputs:
    discount_rate: Decimal  # per cent, real
    horizon: int
    costs: tuple = ()
    outcomes: tuple = ()
    use_consumed: bool = False
    first_year: int = 0  # the calendar year of index 0, for labels only


@dataclass(frozen=True)
class Problem:
    """A refused input: the field (``outcomes.2.deadweight``) and the reason, in Swedish."""

    field: str
    message: str


PERCENT_FIELDS = ("drop_off", "deadweight", "attribution", "displacement")


def validate(inputs):  # noqa: PLR0912 - one check per rule, each named for the user
    """Every problem with the inputs; empty means a calculation may be made and stored."""
    problems = []

    def outside(value):
        return value is None or value < 0 or value > HUNDRED

    if outside(inputs.discount_rate):
        problems.append(Problem("discount_rate", _("Diskonteringsräntan ska vara mellan 0 och 100 %.")))
    if inputs.horizon is None or inputs.horizon < 1 or inputs.horizon > MAX_HORIZON:
        problems.append(Problem("horizon", _("Kalkylperioden ska vara 1–%(max)s år.") % {"max": MAX_HORIZON}))
    horizon = inputs.horizon or 0
    for index, cost in enumerate(inputs.costs):
        if not 0 <= cost.year < horizon:
            problems.append(Problem(f"costs.{index}.year", _("Året ligger utanför kalkylperioden.")))
        if cost.granted is None or cost.granted < 0:
            problems.append(Problem(f"costs.{index}.granted", _("Ange ett belopp som inte är negativt.")))
        if cost.consumed is not None and cost.consumed < 0:
            problems.append(Problem(f"costs.{index}.consumed", _("Ange ett belopp som inte är negativt.")))
        if not cost.payer:
            problems.append(Problem(f"costs.{index}.payer", _("Ange vem som finansierar kostnaden.")))
    for index, line in enumerate(inputs.outcomes):
        prefix = f"outcomes.{index}."
        if line.unit_cost is None:
            problems.append(Problem(prefix + "unit_cost", _("Välj en enhetskostnad för effekten.")))
        elif line.unit_cost < 0:
            problems.append(Problem(prefix + "unit_cost", _("Enhetskostnaden kan inte vara negativ.")))
        if line.baseline is None:
            problems.append(Problem(prefix + "baseline", _("Ange utgångsvärdet (basmätningen) för effekten.")))
        if line.quantity is None:
            problems.append(Problem(prefix + "quantity", _("Ange förändringen per år.")))
        for name in PERCENT_FIELDS:
            if outside(getattr(line, name)):
                problems.append(Problem(prefix + name, _("Ange en andel mellan 0 och 100 %.")))
        if any(outside(share) for share in line.split.values()):
            problems.append(Problem(prefix + "split", _("Varje andel ska vara mellan 0 och 100 %.")))
        elif sum(line.split.values(), ZERO) != HUNDRED:
            problems.append(
                Problem(
                    prefix + "split",
                    _("Fördelningen mellan betalare ska bli 100 %%, men blir %(sum)s %%.")
                    % {"sum": _number(sum(line.split.values(), ZERO))},
                )
            )
        if line.start_year < 0 or line.start_year >= max(horizon, 1):
            problems.append(Problem(prefix + "start_year", _("Startåret ligger utanför kalkylperioden.")))
        if line.duration < 1:
            problems.append(Problem(prefix + "duration", _("Varaktigheten ska vara minst ett år.")))
        if line.confidence not in CONFIDENCE_WEIGHT:
            problems.append(Problem(prefix + "confidence", _("Välj en tillförlitlighet.")))
        if line.transfer and not line.transfer_from:
            problems.append(Problem(prefix + "transfer_from", _("Ange vem en transferering går från.")))
        if line.transfer and line.transfer_from in line.split and line.split[line.transfer_from]:
            problems.append(
                Problem(prefix + "transfer_from", _("En transferering kan inte gå från och till samma betalare."))
            )
    return problems


def _number(value):
    return f"{Decimal(value).normalize():f}".replace(".", ",")


# ---- Results ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LineResult:
    name: str
    pv: Decimal  # societal present value (zero for a transfer)
    pv_municipal: Decimal
    switching_value: Decimal | None  # per cent the line may shrink before NPV is zero
    transfer: bool
    cashable: bool
    confidence: str


@dataclass(frozen=True)
class TornadoBar:
    label: str
    low: Decimal  # NPV at the pessimistic value
    high: Decimal  # NPV at the optimistic value


@dataclass(frozen=True)
class MonteCarlo:
    draws: int
    seed: int
    probability_positive: Decimal
    p10: Decimal
    p50: Decimal
    p90: Decimal


@dataclass(frozen=True)
class Result:
    years: list  # calendar years
    costs_by_year: list
    benefits_by_year: list  # societal (transfers cancel)
    net_by_year: list
    discount_factors: list
    cumulative_discounted: list
    payers: list  # payer keys in table order
    payer_nominal: dict  # payer → [net per year]
    payer_discounted: dict
    payer_totals: dict  # payer → PV
    pv_costs: Decimal
    pv_benefits: Decimal
    npv: Decimal
    benefit_cost_ratio: Decimal | None
    npv_per_krona: Decimal | None
    payback_years: Decimal | None
    discounted_payback_years: Decimal | None
    municipal_pv_costs: Decimal
    municipal_pv_benefits: Decimal
    municipal_npv: Decimal
    municipal_cashable_pv: Decimal
    lines: list
    npv_at_rates: list  # [(rate per cent, NPV)]
    tornado: list
    monte_carlo: MonteCarlo | None
    warnings: list


def discount_factor(rate, year):
    return ONE / (ONE + percent(rate)) ** year


def line_values(line, horizon):
    """The line's value per year, before it is split between payers (Decimal, unrounded)."""
    if line.unit_cost is None or line.quantity is None:
        return [ZERO] * horizon
    weight = (
        (ONE - percent(line.deadweight))
        * (ONE - percent(line.displacement))
        * (ONE - percent(line.attribution))
        * CONFIDENCE_WEIGHT[line.confidence]
    )
    keep = ONE - percent(line.drop_off)
    values = []
    for year in range(horizon):
        if line.start_year <= year < line.start_year + line.duration:
            values.append(line.quantity * line.unit_cost * keep ** (year - line.start_year) * weight)
        else:
            values.append(ZERO)
    return values


def line_flows_by_payer(line, horizon):
    """payer → value per year. A transfer's value leaves ``transfer_from``: the flows sum to zero."""
    values = line_values(line, horizon)
    flows = {payer: [v * percent(share) for v in values] for payer, share in line.split.items() if share}
    if line.transfer:
        flows.setdefault(line.transfer_from, [ZERO] * horizon)
        flows[line.transfer_from] = [a - v for a, v in zip(flows[line.transfer_from], values, strict=True)]
    return flows


def present_value(flows, rate):
    return sum((flow * discount_factor(rate, year) for year, flow in enumerate(flows)), ZERO)


def payback(flows):
    """Years (fractional) until the cumulative flow turns non-negative for good; None if never.
    A year's flow is spread evenly over the year: -100, +60, +60 pays back after 2 2/3 years."""
    cumulative = ZERO
    turned = None
    for year, flow in enumerate(flows):
        before = cumulative
        cumulative += flow
        if before < 0 <= cumulative:
            turned = Decimal(year) + (-before / flow)
        elif cumulative < 0:
            turned = None
        elif year == 0 and before == 0 and cumulative >= 0:
            turned = ZERO
    if cumulative < 0:
        return None
    return turned.quantize(ORE, rounding=ROUND_HALF_UP) if turned is not None else None


def _societal_line_values(line, horizon):
    return [ZERO] * horizon if line.transfer else line_values(line, horizon)


def _costs_by_year(inputs):
    costs = [ZERO] * inputs.horizon
    for cost in inputs.costs:
        costs[cost.year] += cost.amount(inputs.use_consumed)
    return costs


def npv_at(inputs, rate, *, scale_costs=ONE, scale_line=None):
    """Societal NPV at ``rate`` per cent; ``scale_line`` = (index, factor) scales one outcome line."""
    costs = _costs_by_year(inputs)
    total = -present_value(costs, rate) * scale_costs
    for index, line in enumerate(inputs.outcomes):
        factor = scale_line[1] if scale_line and scale_line[0] == index else ONE
        total += present_value(_societal_line_values(line, inputs.horizon), rate) * factor
    return total


def difference_in_differences(target_before, target_after, comparison_before, comparison_after):
    """The effect estimate beside the two naive ones, so a reader sees why the comparison matters."""
    before_after = target_after - target_before
    post_only = target_after - comparison_after if comparison_after is not None else None
    did = None
    if comparison_before is not None and comparison_after is not None:
        did = before_after - (comparison_after - comparison_before)
    return {"difference_in_differences": did, "before_after": before_after, "post_only": post_only}


def calculate(inputs, *, payer_order=None, monte_carlo_draws=MONTE_CARLO_DRAWS, seed=MONTE_CARLO_SEED):
    """All results of a valid calculation (call ``validate`` first). Money rounded to öre."""
    horizon = inputs.horizon
    rate = inputs.discount_rate
    factors = [discount_factor(rate, year) for year in range(horizon)]
    costs = _costs_by_year(inputs)
    benefits = [ZERO] * horizon
    payer_flows = {}
    for cost in inputs.costs:
        payer_flows.setdefault(cost.payer, [ZERO] * horizon)[cost.year] -= cost.amount(inputs.use_consumed)
    line_results_raw = []
    municipal_cashable = ZERO
    for line in inputs.outcomes:
        societal = _societal_line_values(line, horizon)
        benefits = [a + b for a, b in zip(benefits, societal, strict=True)]
        flows = line_flows_by_payer(line, horizon)
        municipal = ZERO
        for payer, values in flows.items():
            row = payer_flows.setdefault(payer, [ZERO] * horizon)
            payer_flows[payer] = [a + b for a, b in zip(row, values, strict=True)]
            if is_municipal_payer(payer):
                municipal += present_value(values, rate)
        if line.cashable:
            municipal_cashable += municipal
        line_results_raw.append((line, present_value(societal, rate), municipal))
    net = [b - c for b, c in zip(benefits, costs, strict=True)]
    pv_costs = present_value(costs, rate)
    pv_benefits = present_value(benefits, rate)
    npv = pv_benefits - pv_costs
    cumulative, running = [], ZERO
    for year, flow in enumerate(net):
        running += flow * factors[year]
        cumulative.append(to_ore(running))
    payers = list(payer_order or [])
    payers += sorted(p for p in payer_flows if p not in payers)
    payer_flows = {p: payer_flows.get(p, [ZERO] * horizon) for p in payers}
    municipal_payers = [p for p in payers if is_municipal_payer(p)]
    municipal_pv_costs = sum(
        (c.amount(inputs.use_consumed) * factors[c.year] for c in inputs.costs if is_municipal_payer(c.payer)), ZERO
    )
    municipal_npv = sum((present_value(payer_flows[p], rate) for p in municipal_payers), ZERO)
    lines = [
        LineResult(
            name=line.name,
            pv=to_ore(pv),
            pv_municipal=to_ore(municipal),
            switching_value=(npv / pv * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if pv else None,
            transfer=line.transfer,
            cashable=line.cashable,
            confidence=line.confidence,
        )
        for line, pv, municipal in line_results_raw
    ]
    return Result(
        years=[inputs.first_year + year for year in range(horizon)],
        costs_by_year=[to_ore(c) for c in costs],
        benefits_by_year=[to_ore(b) for b in benefits],
        net_by_year=[to_ore(n) for n in net],
        discount_factors=[f.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) for f in factors],
        cumulative_discounted=cumulative,
        payers=payers,
        payer_nominal={p: [to_ore(v) for v in payer_flows[p]] for p in payers},
        payer_discounted={p: [to_ore(v * factors[y]) for y, v in enumerate(payer_flows[p])] for p in payers},
        payer_totals={p: to_ore(present_value(payer_flows[p], rate)) for p in payers},
        pv_costs=to_ore(pv_costs),
        pv_benefits=to_ore(pv_benefits),
        npv=to_ore(npv),
        benefit_cost_ratio=(pv_benefits / pv_costs).quantize(ORE, rounding=ROUND_HALF_UP) if pv_costs else None,
        npv_per_krona=(npv / pv_costs).quantize(ORE, rounding=ROUND_HALF_UP) if pv_costs else None,
        payback_years=payback(net),
        discounted_payback_years=payback([flow * factors[year] for year, flow in enumerate(net)]),
        municipal_pv_costs=to_ore(municipal_pv_costs),
        municipal_pv_benefits=to_ore(municipal_npv + municipal_pv_costs),
        municipal_npv=to_ore(municipal_npv),
        municipal_cashable_pv=to_ore(municipal_cashable),
        lines=lines,
        npv_at_rates=[(r, to_ore(npv_at(inputs, r))) for r in SENSITIVITY_RATES],
        tornado=tornado(inputs),
        monte_carlo=monte_carlo(inputs, draws=monte_carlo_draws, seed=seed) if monte_carlo_draws else None,
        warnings=warnings(inputs, benefits, pv_benefits),
    )


def tornado(inputs):
    """NPV when each input is moved to its pessimistic and optimistic value, widest swing first:
    each outcome line by its confidence's spread, costs by ±10 %, the discount rate 0–7 %."""
    rate = inputs.discount_rate
    bars = []
    for index, line in enumerate(inputs.outcomes):
        if line.transfer:
            continue
        spread = CONFIDENCE_SPREAD[line.confidence]
        bars.append(
            TornadoBar(
                line.name,
                to_ore(npv_at(inputs, rate, scale_line=(index, ONE - spread))),
                to_ore(npv_at(inputs, rate, scale_line=(index, ONE + spread))),
            )
        )
    bars.append(
        TornadoBar(
            _("Kostnader ±10 %"),
            to_ore(npv_at(inputs, rate, scale_costs=Decimal("1.1"))),
            to_ore(npv_at(inputs, rate, scale_costs=Decimal("0.9"))),
        )
    )
    at_zero, at_seven = npv_at(inputs, ZERO), npv_at(inputs, Decimal(7))
    bars.append(
        TornadoBar(_("Diskonteringsränta 0–7 %"), to_ore(min(at_zero, at_seven)), to_ore(max(at_zero, at_seven)))
    )
    return sorted(bars, key=lambda bar: abs(bar.high - bar.low), reverse=True)


def monte_carlo_parameters(inputs):
    """(PV of costs, [PV of each outcome line], [standard deviation of its multiplier]) as floats."""
    rate = inputs.discount_rate
    pv_costs = float(present_value(_costs_by_year(inputs), rate))
    pvs, spreads = [], []
    for line in inputs.outcomes:
        if line.transfer:
            continue
        pvs.append(float(present_value(line_values(line, inputs.horizon), rate)))
        spreads.append(float(CONFIDENCE_SPREAD[line.confidence]))
    return pv_costs, np.array(pvs), np.array(spreads)


def monte_carlo(inputs, *, draws=MONTE_CARLO_DRAWS, seed=MONTE_CARLO_SEED):
    """Each outcome line's value is multiplied by a normal draw with mean 1 and its confidence's
    spread; costs are as planned. Seeded, so the same inputs give the same answer."""
    pv_costs, pvs, spreads = monte_carlo_parameters(inputs)
    rng = np.random.default_rng(seed)
    multipliers = 1.0 + rng.standard_normal((draws, len(pvs))) * spreads
    npvs = multipliers @ pvs - pv_costs
    p10, p50, p90 = np.percentile(npvs, [10, 50, 90])
    return MonteCarlo(
        draws=draws,
        seed=seed,
        probability_positive=Decimal(str(float(np.mean(npvs > 0)))).quantize(Decimal("0.0001")),
        p10=to_ore(Decimal(repr(float(p10)))),
        p50=to_ore(Decimal(repr(float(p50)))),
        p90=to_ore(Decimal(repr(float(p90)))),
    )


def probability_positive_closed_form(inputs):
    """P(NPV > 0) when each multiplier is normal: NPV is normal with mean Σ pv − costs and
    variance Σ (pv × spread)²."""
    pv_costs, pvs, spreads = monte_carlo_parameters(inputs)
    mean = float(pvs.sum()) - pv_costs
    sd = math.sqrt(float(((pvs * spreads) ** 2).sum()))
    if sd == 0:
        return 1.0 if mean > 0 else 0.0
    return 0.5 * (1 + math.erf(mean / sd / math.sqrt(2)))


LONG_TERM_YEAR = 10
MAJORITY = Decimal("0.5")


def warnings(inputs, benefits, pv_benefits):
    """Where the calculation over-claims, in Swedish."""
    found = []
    rate = inputs.discount_rate
    if pv_benefits > 0:
        late = sum((b * discount_factor(rate, year) for year, b in enumerate(benefits) if year >= LONG_TERM_YEAR), ZERO)
        if late / pv_benefits > MAJORITY:
            found.append(_("Mer än hälften av nyttan ligger mer än tio år fram i tiden."))
        low = sum(
            (
                present_value(line_values(line, inputs.horizon), rate)
                for line in inputs.outcomes
                if line.confidence == "low" and not line.transfer
            ),
            ZERO,
        )
        if low / pv_benefits > MAJORITY:
            found.append(_("Mer än hälften av nyttan kommer från effekter med låg tillförlitlighet."))
    for line in inputs.outcomes:
        if line.effect_source == EffectSource.COMPARISON_GROUP and line.deadweight > 0:
            found.append(
                _(
                    "%(line)s: effekten är skattad mot en jämförelsegrupp och dödviktsförlust dras ändå av; "
                    "jämförelsegruppen visar redan vad som hade hänt ändå, så avdraget räknas två gånger."
                )
                % {"line": line.name}
            )
        if line.effect_source == EffectSource.BEFORE_AFTER:
            found.append(
                _("%(line)s: effekten bygger bara på en före–efter-mätning, det svagaste underlaget.")
                % {"line": line.name}
            )
    return found
