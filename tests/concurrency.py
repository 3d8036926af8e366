"""Races in tests: calls run in threads released together, each with its own connection."""

import threading

from django.db import connection


def at_once(calls, *, timeout: float = 60) -> list:
    """Run each call in its own thread, released together; returns each result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # handed to the test thread to assert on
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert [thread.is_alive() for thread in threads] == [False] * len(threads)
    return results
