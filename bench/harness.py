"""Timing helpers: medians over repeated runs, reported as ratios against a baseline measured in
the same run, because these machines are shared and absolute times drift."""

import json
import os
import statistics
import time
from collections.abc import Callable


def sample_seconds(fn: Callable[[], object], *, repeat: int = 30, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def paired_medians(
    measured: Callable[[], object],
    baseline: Callable[[], object],
    *,
    repeat: int = 30,
    warmup: int = 3,
) -> tuple[float, float]:
    """Medians of `measured` and `baseline`, timed in turns so that a noisy neighbour slows
    both alike instead of whichever happened to run at that moment."""
    for _ in range(warmup):
        measured()
        baseline()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, times in zip((measured, baseline), samples, strict=True):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(samples[0]), statistics.median(samples[1])


def record(
    name: str,
    *,
    measured: str,
    baseline: str,
    ratio: float | None = None,
    target: str = "",
    meets: bool | None = None,
) -> None:
    """Keep a figure for the one table `make bench` prints at the end (bench.summary): a line
    of JSON in the file BENCH_RESULTS names, when it names one (scripts/bench.sh does)."""
    path = os.environ.get("BENCH_RESULTS")
    if not path:
        return
    figure = {
        "name": name,
        "measured": measured,
        "baseline": baseline,
        "ratio": ratio,
        "target": target,
        "meets": meets,
    }
    with open(path, "a", encoding="utf-8") as results:
        results.write(json.dumps(figure) + "\n")


def report(
    name: str,
    measured: float,
    baseline: float,
    *,
    target_ratio: float | None = None,
    baseline_name: str = "",
):
    ratio = measured / baseline if baseline else float("inf")
    verdict = ""
    if target_ratio is not None:
        verdict = "  meets target" if ratio <= target_ratio else f"  MISSES target ≤{target_ratio}×"
        record(
            name,
            measured=f"{measured * 1000:.2f} ms",
            baseline=f"{baseline_name or 'baseline'} {baseline * 1000:.2f} ms",
            ratio=ratio,
            target=f"≤ {target_ratio}×",
            meets=ratio <= target_ratio,
        )
    print(
        f"{name:<48} {measured * 1000:8.2f} ms  baseline {baseline * 1000:8.2f} ms  "
        f"ratio {ratio:5.2f}×{verdict}"
    )


def report_ratio(
    name: str, ratio: float, *, target_ratio: float | None = None, baseline_name: str = ""
):
    """A ratio of two ratios (each to a baseline measured beside it), with no times to show."""
    verdict = ""
    if target_ratio is not None:
        verdict = "  meets target" if ratio <= target_ratio else f"  MISSES target ≤{target_ratio}×"
        record(
            name,
            measured="",
            baseline=baseline_name or "its own ratio before",
            ratio=ratio,
            target=f"≤ {target_ratio}×",
            meets=ratio <= target_ratio,
        )
    print(f"{name:<48} {'':>39}ratio {ratio:5.2f}×{verdict}")
