"""The one table `make bench` ends with: every figure that has a target, as each benchmark
recorded it (bench.harness.record, into the file BENCH_RESULTS names), with what it was
measured against, the ratio, the target and whether it meets it.

    python -m bench.summary results.jsonl
"""

import json
import sys
from pathlib import Path


def rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def table(figures: list[dict]) -> str:
    header = ("figure", "measured", "against", "ratio", "target", "")
    lines = [
        (
            figure["name"],
            figure["measured"],
            figure["baseline"],
            f"{figure['ratio']:.2f}×" if figure["ratio"] is not None else "",
            figure["target"],
            {True: "meets", False: "MISSES", None: ""}[figure["meets"]],
        )
        for figure in figures
    ]
    widths = [max(len(str(row[i])) for row in [header, *lines]) for i in range(len(header))]
    out = []
    for row in [header, *lines]:
        out.append(
            "  ".join(
                str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)
            ).rstrip()
        )
        if row is header:
            out.append("  ".join("-" * width for width in widths).rstrip())
    missed = sum(1 for figure in figures if figure["meets"] is False)
    out.append(
        f"{len(figures)} figures with a target: {len(figures) - missed} met, {missed} missed"
    )
    return "\n".join(out)


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python -m bench.summary RESULTS")
    figures = rows(Path(sys.argv[1]))
    print(table(figures) if figures else "no figures recorded")


if __name__ == "__main__":
    main()
