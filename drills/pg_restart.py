"""PostgreSQL restarted under load: the database stops (fast shutdown: sessions are cut, open
transactions roll back), stays away a few seconds and comes back, while mixed traffic goes on.

Claims: every request is answered, either as usual or with the 503 page (never a 500, never a
dropped connection); the 503 page was seen (the drill did cut something); every request due
5 s or more after the database is back succeeds; nothing is half-written (each request for help
written has its audit entry, its needs and its message).

DRILL_RATE (default 20 requests/s), DRILL_SECONDS (default 30), DRILL_DOWN_SECONDS (default 3).
"""

import threading
import time

from drills.harness import (
    Mix,
    Server,
    claim,
    demo_world,
    env_number,
    finish,
    is_success,
    pg_start,
    pg_stop,
    print_latencies,
    run_load,
    seed_demo,
    setup_django,
    written_since,
)

RECOVERY_SECONDS = 5.0


def main() -> None:
    rate = env_number("DRILL_RATE", 20)
    seconds = env_number("DRILL_SECONDS", 30)
    down = env_number("DRILL_DOWN_SECONDS", 3)
    seed_demo()
    setup_django()
    world = demo_world()
    from django.db import connection

    from jobhelp.intake.models import HelpRequest

    last_id = HelpRequest.objects.order_by("-pk").values_list("pk", flat=True).first()
    connection.close()
    print(f"== PostgreSQL restart: {rate:g} requests/s for {seconds:g} s, database away {down:g} s")
    results = []
    with Server() as server:
        start = time.monotonic() + 1.0
        load = threading.Thread(
            target=lambda: results.extend(
                run_load(server.port, Mix(world), rate=rate, seconds=seconds, start=start)
            )
        )
        load.start()
        time.sleep(max(0.0, start + seconds / 3 - time.monotonic()))
        stopping = time.monotonic() - start
        pg_stop()
        stopped = time.monotonic() - start
        time.sleep(down)
        pg_start()
        back = time.monotonic() - start
        load.join()
        server_log = server.log_tail()
    print(f"  stop asked at {stopping:.1f} s, stopped at {stopped:.1f} s, back at {back:.1f} s")
    print_latencies(results)

    unavailable = [r for r in results if r.status == 503]
    wrong = [r for r in results if not is_success(r) and r.status != 503]
    late = [r for r in results if not is_success(r) and r.started >= back + RECOVERY_SECONDS]
    last_failure = max((r.started + r.latency for r in results if not is_success(r)), default=0)
    print(
        f"  {len(unavailable)} answered 503, the last one at {last_failure:.1f} s "
        f"({last_failure - back:+.1f} s from the database's return)"
    )
    claim(
        f"every request answered as usual or with the 503 page ({len(wrong)} otherwise)", not wrong
    )
    for result in wrong[:5]:
        print(f"        {result.kind} answered {result.status} at {result.started:.1f} s")
    if wrong:
        print(server_log)
    claim("the 503 page was seen", bool(unavailable))
    claim(
        "the 503 answers are the page, in both languages",
        all(b"back in a moment" in r.body and b'lang="es"' in r.body for r in unavailable),
    )
    claim(
        f"every request due {RECOVERY_SECONDS:g} s after the database's return succeeded "
        f"({len(late)} did not)",
        not late,
    )
    posts = sum(r.kind == "form_post" and r.status == 302 for r in results)
    written = written_since(last_id)
    print(f"  requests for help confirmed to the patron: {posts}")
    print("  written: " + ", ".join(f"{n} {what}" for what, n in written.items()))
    claim(
        "nothing half-written (each request with its audit entry, needs and message)",
        len(set(written.values())) == 1,
    )
    claim("every request for help confirmed was written", written["requests"] >= posts)
    finish("PostgreSQL restart")


if __name__ == "__main__":
    main()
