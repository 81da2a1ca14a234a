"""History mode on a real repository where secrets are added, kept, modified, removed, renamed,
merged, kept only on an unmerged branch, only in a tag and only in a dangling commit."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from leakguard.app import GitOptions, ScanRequest, run_git_scan, run_scan
from leakguard.model import Finding, Report
from tests.fakes import aws_key_id, github_pat
from tests.git.builder import RepoBuilder, aws_line, token_line


@dataclass
class Story:
    repo: RepoBuilder
    shas: dict[str, str]


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    repo = RepoBuilder(tmp_path_factory.mktemp("story") / "repo")
    s: dict[str, str] = {}
    s["base"] = repo.commit("start", {"README.md": "hello\n"})
    s["add"] = repo.commit("add settings", {"app/settings.py": "debug = False\n" + aws_line("kept")},
                           author="Alice Example", email="alice@fake.test")
    s["keep"] = repo.commit("tweak settings", {
        "app/settings.py": "debug = True\n" + aws_line("kept")}, author="Bob Example",
        email="bob@fake.test")
    s["old_token"] = repo.commit("add deploy token", {"deploy.env": token_line("old")},
                                 author="Carol Example", email="carol@fake.test")
    s["rotate"] = repo.commit("rotate deploy token", {"deploy.env": token_line("new")})
    s["leak"] = repo.commit("oops", {"notes.txt": aws_line("removed")}, author="Dan Example",
                            email="dan@fake.test")
    s["unleak"] = repo.commit("remove leaked key", {"notes.txt": None})
    s["moved_add"] = repo.commit("add old config", {"old/conf.py": aws_line("moved")})
    (repo.path / "new").mkdir()
    repo.git("mv", "old/conf.py", "new/conf.py")
    s["move"] = repo.commit("move config", author="Erin Example", email="erin@fake.test")
    # a branch that is never merged
    repo.git("checkout", "-q", "-b", "feature")
    s["branch"] = repo.commit("wip on feature", {"feature.txt": token_line("branch")},
                              author="Frank Example", email="frank@fake.test")
    repo.git("checkout", "-q", "main")
    # a commit only a tag reaches
    repo.git("checkout", "-q", "--detach")
    s["tagged"] = repo.commit("release notes with a key", {"release.txt": aws_line("tag")})
    repo.git("tag", "v-leaky")
    repo.git("checkout", "-q", "main")
    # a branch merged into main: the secret is introduced on the branch, not by the merge
    repo.git("checkout", "-q", "-b", "topic")
    s["topic"] = repo.commit("topic secret", {"topic.env": token_line("merged")},
                             author="Grace Example", email="grace@fake.test")
    repo.git("checkout", "-q", "main")
    s["main_side"] = repo.commit("unrelated", {"README.md": "hello again\n"})
    repo.git("merge", "-q", "--no-ff", "-m", "merge topic", "topic",
             env={"GIT_AUTHOR_DATE": "2021-02-01T00:00:00+00:00",
                  "GIT_COMMITTER_DATE": "2021-02-01T00:00:00+00:00"})
    s["merge"] = repo.git("rev-parse", "HEAD")
    # a dangling commit: committed, then reset away
    s["dangling"] = repo.commit("dangling", {"scratch.txt": token_line("dangling")})
    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.git("branch", "-D", "topic")
    return Story(repo, s)


def history_scan(path: Path, **options: object) -> Report:
    return run_git_scan(ScanRequest(targets=(str(path),)),
                        GitOptions(history=True, **options))  # type: ignore[arg-type]


def only(report: Report, path: str) -> Finding:
    found = [f for f in report.findings if f.path == path]
    assert len(found) == 1, [(f.path, f.rule_id) for f in report.findings]
    return found[0]


@pytest.fixture(scope="module")
def report(story: Story) -> Report:
    return history_scan(story.repo.path)


def test_added_then_kept_is_attributed_to_the_commit_that_added_it(story: Story,
                                                                   report: Report) -> None:
    finding = only(report, "app/settings.py")
    history = finding.history
    assert history is not None and history.introduced is not None
    assert history.introduced.sha == story.shas["add"]  # not "keep", which only kept it
    assert history.introduced.author_name == "Alice Example"
    assert history.introduced.author_email == "alice@fake.test"
    assert history.introduced.date == "2021-01-02T10:00:00Z"
    assert history.introduced.date == story.repo.date_of(story.shas["add"])
    assert history.introduced.summary == "add settings"
    assert history.removed is None
    assert history.present_at_head is True
    assert history.refs == ("refs/heads/feature", "refs/heads/main", "refs/tags/v-leaky")
    assert finding.occurrences == 1


def test_commit_count_counts_every_commit_holding_the_secret(story: Story,
                                                             report: Report) -> None:
    holding = story.repo.git("rev-list", "--all", f"^{story.shas['base']}").split()
    history = only(report, "app/settings.py").history
    assert history is not None
    assert history.commits == len(holding)  # every commit after "start" holds it


def test_modified_secret_old_value_removed_new_value_present(story: Story,
                                                             report: Report) -> None:
    old, new = (f for f in sorted(
        (f for f in report.findings if f.path == "deploy.env"),
        key=lambda f: f.history.introduced.date if f.history and f.history.introduced else ""))
    assert old.secret_id != new.secret_id
    assert old.history is not None and new.history is not None
    assert old.history.introduced is not None and new.history.introduced is not None
    assert old.history.introduced.sha == story.shas["old_token"]
    assert old.history.introduced.author_name == "Carol Example"
    assert old.history.removed is not None
    assert old.history.removed.sha == story.shas["rotate"]
    assert old.history.present_at_head is False
    assert old.history.commits == 1
    assert new.history.introduced.sha == story.shas["rotate"]
    assert new.history.removed is None
    assert new.history.present_at_head is True


def test_removed_secret_names_the_removing_commit(story: Story, report: Report) -> None:
    history = only(report, "notes.txt").history
    assert history is not None and history.introduced is not None and history.removed is not None
    assert history.introduced.sha == story.shas["leak"]
    assert history.introduced.author_name == "Dan Example"
    assert history.removed.sha == story.shas["unleak"]
    assert history.removed.summary == "remove leaked key"
    assert history.present_at_head is False
    assert history.commits == 1
    assert "refs/heads/main" in history.refs


def test_renamed_secret_is_a_new_path_introduced_by_the_rename(story: Story,
                                                               report: Report) -> None:
    before, after = only(report, "old/conf.py"), only(report, "new/conf.py")
    assert before.fingerprint != after.fingerprint
    assert before.secret_id == after.secret_id
    assert before.history is not None and after.history is not None
    assert before.history.introduced is not None and before.history.removed is not None
    assert after.history.introduced is not None
    assert before.history.introduced.sha == story.shas["moved_add"]
    assert before.history.removed.sha == story.shas["move"]
    assert before.history.present_at_head is False
    assert after.history.introduced.sha == story.shas["move"]
    assert after.history.introduced.author_name == "Erin Example"
    assert after.history.removed is None
    assert after.history.present_at_head is True


def test_secret_only_on_an_unmerged_branch(story: Story, report: Report) -> None:
    history = only(report, "feature.txt").history
    assert history is not None and history.introduced is not None
    assert history.introduced.sha == story.shas["branch"]
    assert history.introduced.author_name == "Frank Example"
    assert history.removed is None
    assert history.present_at_head is False
    assert history.refs == ("refs/heads/feature",)
    assert history.commits == 1


def test_secret_only_in_a_tag(story: Story, report: Report) -> None:
    history = only(report, "release.txt").history
    assert history is not None and history.introduced is not None
    assert history.introduced.sha == story.shas["tagged"]
    assert history.present_at_head is False
    assert history.removed is None
    assert history.refs == ("refs/tags/v-leaky",)


def test_merge_does_not_take_credit_for_a_branch_secret(story: Story, report: Report) -> None:
    history = only(report, "topic.env").history
    assert history is not None and history.introduced is not None
    assert history.introduced.sha == story.shas["topic"]
    assert history.introduced.sha != story.shas["merge"]
    assert history.introduced.author_name == "Grace Example"
    assert history.present_at_head is True
    assert history.commits == 2  # the topic commit and the merge
    assert history.refs == ("refs/heads/main",)


def test_dangling_commit_needs_include_unreachable(story: Story, report: Report) -> None:
    assert not [f for f in report.findings if f.path == "scratch.txt"]
    full = history_scan(story.repo.path, include_unreachable=True)
    history = only(full, "scratch.txt").history
    assert history is not None and history.introduced is not None
    assert history.introduced.sha == story.shas["dangling"]
    assert history.refs == ()
    assert history.present_at_head is False
    assert len(full.findings) == len(report.findings) + 1


def test_ref_restricts_the_scan(story: Story) -> None:
    report = history_scan(story.repo.path, refs=("feature",))
    paths = {f.path for f in report.findings}
    assert "feature.txt" in paths
    assert "release.txt" not in paths and "topic.env" not in paths
    with pytest.raises(Exception, match="names no commit"):
        history_scan(story.repo.path, refs=("no-such-branch",))


def test_each_blob_is_scanned_once(story: Story, report: Report) -> None:
    unique = set(story.repo.git("rev-list", "--objects", "--all").split("\n"))
    blobs = {line.split()[0] for line in unique
             if story.repo.git("cat-file", "-t", line.split()[0]) == "blob"}
    assert report.stats.blobs == len(blobs)
    assert report.stats.files_scanned == len(blobs)
    assert report.stats.commits == int(story.repo.git("rev-list", "--count", "--all"))


def test_tree_and_history_scans_agree_on_fingerprints(story: Story, report: Report) -> None:
    tree = run_scan(ScanRequest(targets=(str(story.repo.path),)))
    at_head = {f.fingerprint for f in report.findings if f.history and f.history.present_at_head}
    assert {f.fingerprint for f in tree.findings} == at_head
    assert {f.path for f in tree.findings} == {"app/settings.py", "deploy.env", "new/conf.py",
                                               "topic.env"}


def test_fakes_are_distinct() -> None:
    assert len({aws_key_id(s) for s in ("kept", "removed", "moved", "tag")}) == 4
    assert len({github_pat(s) for s in ("old", "new", "branch", "merged", "dangling")}) == 5


def test_every_format_carries_the_provenance(story: Story, report: Report) -> None:
    import io
    import json

    from rich.console import Console

    from leakguard.report.json_report import write_json
    from leakguard.report.sarif import write_sarif
    from leakguard.report.table import write_table
    from tests.report.test_sarif import validate_sarif

    add = story.shas["add"]
    out = io.StringIO()
    write_json(report, out)
    document = json.loads(out.getvalue())
    settings, = [f for f in document["findings"] if f["path"] == "app/settings.py"]
    assert settings["history"]["introduced"]["sha"] == add
    assert settings["history"]["introduced"]["author"] == "Alice Example"
    assert settings["history"]["present_at_head"] is True
    assert document["scan"]["mode"] == "history"

    out = io.StringIO()
    write_sarif(report, out)
    sarif = json.loads(out.getvalue())
    validate_sarif(sarif)
    results = sarif["runs"][0]["results"]
    assert all(set(r["partialFingerprints"].values()) <= {f.fingerprint for f in report.findings}
               for r in results)
    assert not any(add in json.dumps(r["partialFingerprints"]) for r in results)
    assert any(r["properties"]["history"]["introduced"]["sha"] == add for r in results)
    assert aws_key_id("kept") not in out.getvalue()

    console = Console(file=io.StringIO(), width=200, color_system=None)
    write_table(report, console)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "Commit" in text and "Author" in text and add[:10] in text
