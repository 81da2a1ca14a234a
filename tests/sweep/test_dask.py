"""The same sweep through a Dask LocalCluster gives identical results."""

from __future__ import annotations

from pathlib import Path

import distributed

from tests.conftest import run_leakguard
from tests.sweep.repos import make_fleet
from tests.sweep.test_sweep import findings_in, statuses


def test_dask_sweep_matches_local_sweep(tmp_path: Path) -> None:
    root = tmp_path / "fleet"
    make_fleet(root, 4)
    local_db, dask_db = tmp_path / "local.db", tmp_path / "dask.db"
    run_leakguard("sweep", str(root), "--db", str(local_db), "-q")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        result = run_leakguard("sweep", str(root), "--db", str(dask_db), "--dask",
                               cluster.scheduler_address, "-q")
    assert result.code == 1, result.output
    assert findings_in(dask_db) == findings_in(local_db)
    assert statuses(dask_db) == statuses(local_db)
