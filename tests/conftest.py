"""Shared test settings: hypothesis profiles chosen by `HYPOTHESIS_PROFILE`."""

import os

from hypothesis import HealthCheck, settings

# CI runs many examples with no deadline, since shared runners are slow and
# noisy; the default keeps a local run quick.
settings.register_profile(
    "ci",
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
