"""The run's suppression files: ``.leakguardignore`` at the root and the ``--baseline`` file.

Read and validated in ``prepare`` (a broken file fails the run before anything is scanned, like a
broken policy); turned into filters and stale entries in ``finish`` once every finding is known.
Works on any scan mode: it needs only findings, the targets and what was skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from leakguard.baseline_file import DEFAULT_BASELINE_NAME, Baseline, key_check, parse_baseline
from leakguard.errors import ConfigError, InputError
from leakguard.filters import FindingFilter
from leakguard.filters.baseline import BaselineFilter, reconcile, stale_entries
from leakguard.filters.ignorefile import IGNORE_FILE_NAME, IgnoreFile, IgnoreFilter, parse_ignore_file
from leakguard.filters.scope import Coverage
from leakguard.findings import hash_key
from leakguard.model import Finding, Skipped, StaleEntry


def read_text(path: Path, what: str) -> str:
    """A suppression file's text, with errors that name it."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{what} {str(path)!r} does not exist") from None
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"{what} {str(path)!r}: {exc.strerror or exc}") from None


def check_key(baseline: Baseline, source: str, text: str = "") -> Baseline:
    """Refuse a baseline whose hashes were made with another key: nothing in it could match."""
    if baseline.key_check != key_check(hash_key()):
        position = text.find('"key_check"')
        line = text.count("\n", 0, position) + 1 if position >= 0 else None
        raise ConfigError("made with a different hash key, so none of its fingerprints can "
                          "match: set LEAKGUARD_HASH_KEY as it was when the baseline was created, "
                          "or create it again", file=source, line=line)
    return baseline


def read_baseline(path: Path, *, same_key: bool = True) -> Baseline:
    """Read and validate a baseline; ``same_key`` also refuses one made under another key
    (matching needs it; listing and labelling do not)."""
    source = str(path)
    text = read_text(path, "baseline")
    baseline = parse_baseline(text, source)
    return check_key(baseline, source, text) if same_key else baseline


def display_path(path: Path, root: Path) -> str:
    """``path`` relative to the root with ``/`` separators when it lies inside, else as given."""
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class SuppressionFiles:
    """What the ignore file and the baseline say, plus their own paths (never scanned for
    findings: they hold only hashes, and a finding in them would churn them forever)."""

    ignore: IgnoreFile | None = None
    baseline: Baseline | None = None
    baseline_source: str = ""
    by_secret: bool = False
    own_paths: frozenset[str] = field(
        default=frozenset({IGNORE_FILE_NAME, DEFAULT_BASELINE_NAME}))

    def stage(self, findings: Sequence[Finding], coverage: Coverage
              ) -> tuple[list[FindingFilter], list[StaleEntry], list[str]]:
        """Filters (ignore file, then baseline), stale entries and warnings for one run."""
        filters: list[FindingFilter] = []
        stale: list[StaleEntry] = []
        warnings: list[str] = []
        if self.ignore is not None:
            ignore_filter = IgnoreFilter(self.ignore)
            filters.append(ignore_filter)
            stale += ignore_filter.stale(findings, coverage)
        if self.baseline is not None:
            result = reconcile(self.baseline, findings, coverage)
            filters.append(BaselineFilter(self.baseline, result, self.by_secret))
            stale += stale_entries(result, self.baseline_source)
            if self.baseline.entries and findings and not (result.found or result.moved):
                warnings.append(
                    f"none of the {len(self.baseline.entries)} entries in "
                    f"{self.baseline_source} matched a finding: was it created for another "
                    "folder (paths are relative to the scanned root) or with other rules?")
        return filters, stale, warnings


def load_suppression_files(root: Path, baseline: Path | None, *, use_ignore_file: bool = True,
                           by_secret: bool = False) -> SuppressionFiles:
    ignore = None
    ignore_path = root / IGNORE_FILE_NAME
    if use_ignore_file and ignore_path.is_file():
        ignore = parse_ignore_file(read_text(ignore_path, "ignore file"), IGNORE_FILE_NAME)
    own = {IGNORE_FILE_NAME, DEFAULT_BASELINE_NAME}
    loaded, source = None, ""
    if baseline is not None:
        loaded = read_baseline(baseline)
        source = display_path(baseline, root)
        own.add(source)
    return SuppressionFiles(ignore, loaded, source, by_secret, frozenset(own))


def coverage_of(root: Path, targets: Iterable[Path], skips: Iterable[Skipped],
                excludes: Iterable[str], partial: Iterable[str] = ()) -> Coverage:
    """The scan's coverage from its resolved targets, skips, ``--exclude`` globs and the paths
    of which only some lines were reported (diffs, staged changes)."""
    relative = [display_path(target, root) for target in targets]
    return Coverage.of([t for t in relative if not Path(t).is_absolute()],
                       {skip.origin.path for skip in skips} | set(partial), excludes)
