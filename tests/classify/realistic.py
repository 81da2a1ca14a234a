"""A realistic company repository, built at test time, for the classification "done when" test.

Every person, number and host is generated and plainly fake (FAKE in names, reserved or
invented domains, numbers built to pass their checksums from seeded randomness). ``EXPECTED``
says what level each file must be classified at; files missing from it must have no findings.
"""

from __future__ import annotations

import random
from pathlib import Path

from leakguard.model import Level
from leakguard.vocabulary import name_digest
from tests import identity_fakes as fake
from tests.conftest import write_tree

SALT = "fakeco-test-salt-7f3a"
FIRST = ["Ada", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea"]
LAST = ["Fakeson", "Testwell", "Mockley", "Stubbs", "Dummer", "Placeholt"]


def _people(count: int, seed: str) -> list[tuple[str, str, str, str]]:
    rng = random.Random(seed)
    people = []
    for index in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first.lower()}.{last.lower()}{index:03d}@fakemail-customers.net"
        people.append((first, f"{last}{index:03d}", email, fake.phone((seed, index))))
    return people


def customer_export() -> str:
    rows = ["first_name,last_name,email,phone,city,signup_date"]
    for first, last, email, phone in _people(40, "customers"):
        rows.append(f"{first},{last},{email},{phone},Faketown,2024-03-0{len(first) % 9 + 1}")
    return "\n".join(rows) + "\n"


def payroll() -> str:
    rows = ["employee_id,full_name,ssn,iban,gross_salary"]
    for index, (first, last, _email, _phone) in enumerate(_people(6, "payroll")):
        rows.append(f"E{1000 + index},{first} {last},{fake.ssn(index)},"
                    f"{fake.iban(index)},{52000 + 1500 * index}")
    return "\n".join(rows) + "\n"


def inventory() -> str:
    lines = ["[db]"]
    lines += [f"pg-{n:02d}.prod.fakeco.internal ansible_host=10.42.{n}.{10 + n}" for n in range(6)]
    lines += ["", "[web]"]
    lines += [f"web-{n:02d}.prod.fakeco.internal ansible_host=10.43.{n}.{20 + n}" for n in range(6)]
    return "\n".join(lines) + "\n"


POLICY = f"""\
version: 1
max_level: internal
paths:
  - {{path: "docs/**", max_level: confidential}}
salt: "{SALT}"
codenames:
  - {{name: Bluefin, level: restricted}}
customers:
  - {{sha256: {name_digest(SALT, "Globex Fakeworks")}, words: 2, level: confidential}}
internal_domains: [fakeco.internal]
"""

#: The policy that accepts everything this repository holds where it holds it.
ALLOWING_POLICY = POLICY.replace(
    '  - {path: "docs/**", max_level: confidential}\n',
    '  - {path: "docs/**", max_level: restricted}\n'
    '  - {path: "exports/**", max_level: restricted}\n'
    '  - {path: "hr/**", max_level: restricted}\n'
    '  - {path: "ops/**", max_level: confidential}\n'
    '  - {path: "deploy/**", max_level: confidential}\n'
    '  - {path: "src/billing/**", max_level: confidential}\n'
    '  - {path: "notes/**", max_level: restricted}\n',
)

FILES: dict[str, str] = {
    ".leakguard.yaml": POLICY,
    "README.md": (
        "# FakeCo widgets\n\nBuild with `make`. Questions: ada.fakeson@fakeco-widgets.io\n"
        "Keep your data confidential: never paste customer rows into issues.\n"
    ),
    "docs/design/pricing-engine.md": (
        "# TRADE SECRET\n\n## Pricing engine design\n\nThe discount curve uses three FAKE "
        "coefficients tuned per market.\n"
    ),
    "docs/design/roadmap.md": (
        "<!-- FAKECO CONFIDENTIAL -->\n# Roadmap 2027\n\n- Q1: ship widgets v3\n"
        "- Q2: launch in two FAKE markets\n"
    ),
    "docs/security/incident-2024-07.md": (
        "Subject: [TLP:AMBER] Incident 2024-07 indicators\n\nThe FAKE indicators follow.\n"
    ),
    "docs/legal/vendor-memo.md": (
        "PRIVILEGED & CONFIDENTIAL - ATTORNEY-CLIENT COMMUNICATION\n\nOur FAKE position on the "
        "vendor dispute.\n"
    ),
    "docs/onboarding.md": "# Onboarding\n\nRead the README, then ask in #widgets.\n",
    "exports/customers-2024.csv": customer_export(),
    "hr/payroll-2024-06.csv": payroll(),
    "ops/inventory/prod.ini": inventory(),
    "ops/ssh_config": (
        "Host bastion\n  HostName bastion.fakeco.internal\n  User deploy\n"
        "Host github.com\n  HostName github.com\n"
    ),
    "deploy/kubeconfig.yaml": (
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n"
        "    certificate-authority-data: RkFLRQ==\n"
        "    server: https://k8s-api.prod.fakeco.internal:6443\n  name: prod\n"
    ),
    "src/app/levels.py": (
        '"""Confidentiality levels used by the widget store."""\n\nimport enum\n\n\n'
        "class Level(enum.Enum):\n    PUBLIC = 1\n    CONFIDENTIAL = 2\n\n\n"
        "def is_confidential(doc) -> bool:\n"
        '    """Keep your data confidential: documents above PUBLIC are hidden."""\n'
        "    return doc.level is Level.CONFIDENTIAL\n"
    ),
    "src/app/main.py": (
        "from app.levels import is_confidential\n\n\ndef main() -> None:\n"
        "    print('confidential' if is_confidential(None) else 'public')\n"
    ),
    "src/billing/discounts.py": (
        "# Copyright (C) FakeCo, Inc - All Rights Reserved\n"
        "# Unauthorized copying of this file, via any medium is strictly prohibited\n"
        "# Proprietary and confidential\n\nRATE = 0.07\n"
    ),
    "notes/launch.md": (
        "Project Bluefin ships to Globex Fakeworks first; contact them via the account team.\n"
    ),
}

EXPECTED: dict[str, Level] = {
    "README.md": Level.INTERNAL,
    "docs/design/pricing-engine.md": Level.RESTRICTED,
    "docs/design/roadmap.md": Level.CONFIDENTIAL,
    "docs/security/incident-2024-07.md": Level.CONFIDENTIAL,
    "docs/legal/vendor-memo.md": Level.RESTRICTED,
    "exports/customers-2024.csv": Level.RESTRICTED,
    "hr/payroll-2024-06.csv": Level.RESTRICTED,
    "ops/inventory/prod.ini": Level.CONFIDENTIAL,
    "ops/ssh_config": Level.INTERNAL,
    "deploy/kubeconfig.yaml": Level.CONFIDENTIAL,
    "src/billing/discounts.py": Level.CONFIDENTIAL,
    "notes/launch.md": Level.RESTRICTED,
}

#: Files whose findings the first policy forbids (everything above internal outside docs/,
#: above confidential inside docs/).
VIOLATING = {
    "docs/design/pricing-engine.md", "docs/legal/vendor-memo.md", "exports/customers-2024.csv",
    "hr/payroll-2024-06.csv", "ops/inventory/prod.ini", "deploy/kubeconfig.yaml",
    "src/billing/discounts.py", "notes/launch.md",
}


def build(root: Path) -> Path:
    return write_tree(root, FILES)
