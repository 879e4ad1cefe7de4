"""One imported repository with tens of thousands of loose refs (mechanism 7).

Model: ``imports/legacy-app`` came from a GitHub import with 50,000+ keep-around refs
never packed (gitlab-ce#59477). Ref-heavy RPCs (``FindAllBranches``, ``RefExists``,
``FindLocalBranches``, ``ListRefs``, ``ListTagNamesContainingCommit``, ...) on that
repository open thousands of files (3,000x the accesses of a packed repository,
mostly from the page cache at 0.1 ms each), so they take seconds with
``command.real_time_ms`` far above ``command.cpu_time_ms``. Other repositories and
other RPCs stay fast; calls past the Gitaly timeouts end in ``DeadlineExceeded``
(reference-data.md 2.3).
"""

from __future__ import annotations

from advisor.simulate.scenarios.base import Scenario

SCENARIO = Scenario(
    name="missing-housekeeping",
    summary="one repo with unpacked refs: ref RPCs slow on that project only",
    doc=__doc__ or "",
    unhoused_project="imports/legacy-app",
    unhoused_ref_factor=3000.0,
)
