"""Load: mixed public, staff and API traffic at a fixed rate against gunicorn on PostgreSQL.

Claims: no errors (every answer 2xx or 3xx), p95 under 300 ms (counted from when each request
was due, so a server falling behind shows), each worker under 150 MB resident afterwards.
The p95 is a speed target: with DRILL_TIMING=report (CI) it is printed, met or missed, and
does not fail the drill, like the benchmarks.

DRILL_RATE (requests a second, default 50), DRILL_SECONDS (default 60), DRILL_WORKERS
(gunicorn workers, default 2, four threads each).
"""

import os

from drills.harness import (
    Mix,
    Server,
    claim,
    demo_world,
    env_number,
    finish,
    is_success,
    percentile,
    print_latencies,
    print_serial_times,
    run_load,
    seed_demo,
    serial_times,
    setup_django,
    target,
    written_since,
)

P95_TARGET_MS = 300
RSS_TARGET_MB = 150


def main() -> None:
    rate = env_number("DRILL_RATE", 50)
    seconds = env_number("DRILL_SECONDS", 60)
    workers = int(env_number("DRILL_WORKERS", 2))
    seed_demo()
    setup_django()
    world = demo_world()
    from jobhelp.intake.models import HelpRequest

    print(f"== load: {rate:g} requests/s for {seconds:g} s, gunicorn {workers} workers × 4 threads")
    mix = Mix(world)
    with Server(workers=workers) as server:
        rss_before = server.worker_rss_mb()
        print_serial_times(serial_times(server.port, mix), mix.weights)
        last_id = HelpRequest.objects.order_by("-pk").values_list("pk", flat=True).first()
        results = run_load(server.port, mix, rate=rate, seconds=seconds)
        rss_after = server.worker_rss_mb()
        failures = [r for r in results if not is_success(r)]
        if failures:
            print(server.log_tail())
    print(
        f"  load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
    )
    print_latencies(results)
    p95 = percentile([r.latency * 1000 for r in results], 0.95)
    posts = sum(r.kind == "form_post" and r.status == 302 for r in results)
    written = written_since(last_id)
    print(f"  sent {len(results)} requests, {posts} of them requests for help")
    print(
        "  worker RSS before "
        + ", ".join(f"{mb:.0f}" for mb in rss_before)
        + " MB; after "
        + ", ".join(f"{mb:.0f}" for mb in rss_after)
        + " MB"
    )
    claim(f"no errors ({len(failures)} of {len(results)})", not failures)
    for failure in failures[:5]:
        print(f"        {failure.kind} answered {failure.status} at {failure.started:.1f} s")
    target(f"p95 {p95:.0f} ms under {P95_TARGET_MS} ms", p95 < P95_TARGET_MS)
    claim(
        f"every worker under {RSS_TARGET_MB} MB RSS afterwards (largest {max(rss_after):.0f} MB)",
        max(rss_after) < RSS_TARGET_MB,
    )
    print("  written: " + ", ".join(f"{n} {what}" for what, n in written.items()))
    claim(
        f"every request for help sent was written whole ({posts} sent)",
        set(written.values()) == {posts},
    )
    finish("load")


if __name__ == "__main__":
    main()
