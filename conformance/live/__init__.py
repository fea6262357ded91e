"""Live runs: the embedded emulator, the preflight, and the bookkeeping of what a run creates
(tags, journal, tracking, cleanup), so nothing is left behind on a user's resource."""
