"""Benchmark: time of a 100,000-draw Monte Carlo run of a 10-line calculation (numpy, vectorised).

python benchmarks/monte_carlo.py
"""

import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from evaluation.calculation import (  # noqa: E402
    CostLine,
    Inputs,
    OutcomeLine,
    monte_carlo,
    probability_positive_closed_form,
)

DRAWS = 100_000


def ten_line_calculation():
    lines = tuple(
        OutcomeLine(
            name=f"Effekt {index}",
            unit_cost=Decimal(10000 + 1000 * index),
            quantity=Decimal(1),
            baseline=Decimal(10),
            start_year=1,
            duration=3,
            confidence=["high", "medium", "low"][index % 3],
            split={"municipality": Decimal(100)},
        )
        for index in range(10)
    )
    return Inputs(Decimal("3.5"), 10, (CostLine(0, "municipality", Decimal(300000)),), lines)


def main():
    inputs = ten_line_calculation()
    monte_carlo(inputs, draws=1000)  # warm up numpy
    timings = []
    for run in range(7):
        start = time.perf_counter()
        result = monte_carlo(inputs, draws=DRAWS, seed=run)
        timings.append(time.perf_counter() - start)
    print(f"Monte Carlo, 10 outcome lines, {DRAWS:,} draws: median {statistics.median(timings) * 1000:.1f} ms")
    print(f"  min {min(timings) * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms over {len(timings)} runs")
    print(f"  P(NPV > 0) = {result.probability_positive} (closed form {probability_positive_closed_form(inputs):.4f})")


if __name__ == "__main__":
    main()
