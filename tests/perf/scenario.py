"""A small tree with planted fake secrets, and a way to compare reports minus timing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from leakguard.model import Report
from tests import fakes
from tests.conftest import write_tree

EXTRA_RULES = """
rules:
  - id: scoped.conf-token
    name: A token that only counts in .conf files
    pattern: 'conf_token=(?P<secret>[a-z0-9]{12})'
    paths: {include: ['*.conf']}
  - id: fuzzy.word
    name: A rule the Hyperscan engine cannot translate
    pattern: '(?:fakepass){e<=1}=(?P<secret>[0-9]{6})'
    keywords: [fake]
"""


def plant(root: Path) -> dict[str, str]:
    """Files with secrets (several per file, allowed ones, scoped ones), a binary and a clean
    file; returns the secrets by name."""
    secrets = {
        "aws_id": fakes.aws_key_id(21), "aws_secret": fakes.aws_secret(21),
        "github": fakes.github_pat(21), "password": fakes.password(21),
        "pem": fakes.pem_private_key(21),
    }
    filler = "".join(f"value_{n} = compute({n})  # ordinary code\n" for n in range(400))
    write_tree(root, {
        "app/settings.py": f'aws_access_key_id = "{secrets["aws_id"]}"\n'
                           f'aws_secret_access_key = "{secrets["aws_secret"]}"\n'
                           f'db_password = "{secrets["password"]}"\n',
        "app/big.py": filler + f"token = '{secrets['github']}'\n" + filler,
        "ci/.env": f"GITHUB_TOKEN={secrets['github']}  # leakguard:allow reason=fixture\n",
        "keys/id_rsa": secrets["pem"] + "\n",
        "etc/app.conf": "conf_token=abcdef123456\nfakepass=123456\n",
        "etc/app.txt": "conf_token=abcdef123456\nfakepasz=654321\n",
        "docs/team.md": "Mail jane.doe@example.com or ops@example.org.\nNo secret here.\n",
        "assets/blob.bin": b"\x00\x01binary\x00" * 50,
        "README.md": "Nothing to see here.\n",
    })
    return secrets


def comparable(report: Report, *, warnings: bool = True) -> Report:
    """The report without what may differ between equivalent runs (timing; warnings if asked)."""
    report = replace(report, stats=replace(report.stats, duration_seconds=0.0))
    return report if warnings else replace(report, warnings=())
