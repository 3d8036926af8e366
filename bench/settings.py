"""Settings for the HTTP benchmarks: jobhelp's own, with a URLconf that adds an empty view to
compare against. Only `python -m bench.scheduling` selects it (DJANGO_SETTINGS_MODULE), so the
application as deployed has no such view."""

from jobhelp.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
