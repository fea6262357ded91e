"""The pytest side: options, parametrisation over targets, the session, results per test,
xdist hand-over, pinning, and the fixtures the suites use. The only layer that imports pytest's hooks."""
