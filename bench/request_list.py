"""The staff list of requests, first page, with many requests across organizations, against a
template page that runs one simple query (the privacy page)."""

from django.test import Client

from bench.harness import paired_medians, report
from bench.seed import BenchData


def run(data: BenchData) -> None:
    client = Client()
    client.force_login(data.front_desk)
    pages = {}
    for path in ("/privacy/", "/staff/requests/", "/staff/requests/?state=new&need=resume"):
        assert client.get(path).status_code == 200, path
        pages[path] = lambda path=path: client.get(path)
    privacy = pages["/privacy/"]
    report(
        "staff request list, first page",
        *paired_medians(pages["/staff/requests/"], privacy),
        target_ratio=2.0,
        baseline_name="the privacy notice",
    )
    report(
        "staff request list filtered by state and need",
        *paired_medians(pages["/staff/requests/?state=new&need=resume"], privacy),
        target_ratio=2.0,
        baseline_name="the privacy notice",
    )
