"""Timing helpers: medians over repeated runs, reported as ratios against a baseline measured in
the same run, because these machines are shared and absolute times drift."""

import statistics
import time
from collections.abc import Callable


def median_seconds(fn: Callable[[], object], *, repeat: int = 30, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def report(name: str, measured: float, baseline: float, *, target_ratio: float | None = None):
    ratio = measured / baseline if baseline else float("inf")
    verdict = ""
    if target_ratio is not None:
        verdict = "  meets target" if ratio <= target_ratio else f"  MISSES target ≤{target_ratio}×"
    print(
        f"{name:<48} {measured * 1000:8.2f} ms  baseline {baseline * 1000:8.2f} ms  "
        f"ratio {ratio:5.2f}×{verdict}"
    )
