"""Timing helpers: medians over repeated runs, reported as ratios against a baseline measured in
the same run, because these machines are shared and absolute times drift."""

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


def report(name: str, measured: float, baseline: float, *, target_ratio: float | None = None):
    ratio = measured / baseline if baseline else float("inf")
    verdict = ""
    if target_ratio is not None:
        verdict = "  meets target" if ratio <= target_ratio else f"  MISSES target ≤{target_ratio}×"
    print(
        f"{name:<48} {measured * 1000:8.2f} ms  baseline {baseline * 1000:8.2f} ms  "
        f"ratio {ratio:5.2f}×{verdict}"
    )


def report_ratio(name: str, ratio: float, *, target_ratio: float | None = None):
    """A ratio of two ratios (each to a baseline measured beside it), with no times to show."""
    verdict = ""
    if target_ratio is not None:
        verdict = "  meets target" if ratio <= target_ratio else f"  MISSES target ≤{target_ratio}×"
    print(f"{name:<48} {'':>39}ratio {ratio:5.2f}×{verdict}")
