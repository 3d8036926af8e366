"""Settings for the benchmarks: jobhelp's own, with a URLconf that adds the baselines to
compare against (bench/urls.py). Only the benchmarks select it (DJANGO_SETTINGS_MODULE), so the
application as deployed has no such views."""

from jobhelp.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
