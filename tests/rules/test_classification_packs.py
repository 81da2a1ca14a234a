"""The classification packs behave as documented: levels from labels and volume, banners told
apart from prose and code, identifiers found only where their structure and keywords hold."""

from __future__ import annotations

import pytest

from leakguard.engine.matcher import Matcher
from leakguard.findings import build_findings
from leakguard.model import Chunk, Level, Origin
from leakguard.rules.loader import load_ruleset
from tests import identity_fakes as fake

SHIPPED = load_ruleset()
MATCHER = Matcher(SHIPPED)
MARKING_RULES = {r.id for r in SHIPPED if str(r.spec.category) == "marking"}


def findings(text: str, path: str = "doc.md") -> list:
    chunk = Chunk(Origin(path), text, size=len(text))
    return build_findings(MATCHER.scan(chunk).matches, SHIPPED, b"test-key")


def levels(text: str, path: str = "doc.md", rule: str | None = None) -> set[Level]:
    return {f.level for f in findings(text, path) if rule is None or f.rule_id == rule}


def rule_ids(text: str, path: str = "doc.md") -> set[str]:
    return {f.rule_id for f in findings(text, path)}


@pytest.mark.parametrize(("text", "level"), [
    pytest.param("# TLP:RED", Level.RESTRICTED, id="tlp-red"),
    pytest.param("Subject: [TLP:AMBER+STRICT] partner brief", Level.RESTRICTED, id="tlp-amber-strict"),
    pytest.param("**TLP:AMBER**", Level.CONFIDENTIAL, id="tlp-amber"),
    pytest.param("Classification: TLP:GREEN", Level.INTERNAL, id="tlp-green"),
    pytest.param("TLP:CLEAR", Level.PUBLIC, id="tlp-clear"),
    pytest.param("# STRICTLY CONFIDENTIAL", Level.RESTRICTED, id="strictly-confidential"),
    pytest.param("# COMPANY CONFIDENTIAL", Level.CONFIDENTIAL, id="company-confidential"),
    pytest.param("DISTRIBUTION STATEMENT A. Approved for public release.", Level.PUBLIC,
                 id="dod-a"),
    pytest.param("DISTRIBUTION STATEMENT C. Distribution authorized to U.S. Government agencies "
                 "and their contractors.", Level.RESTRICTED, id="dod-c"),
    pytest.param("TOP SECRET//SI//NOFORN", Level.PROHIBITED, id="us-classified"),
    pytest.param("CUI//SP-PROPIN", Level.RESTRICTED, id="cui"),
    pytest.param("# INTERNAL USE ONLY", Level.INTERNAL, id="internal-use-only"),
])
def test_marking_levels_come_from_the_label(text: str, level: Level) -> None:
    assert levels(text) == {level}


@pytest.mark.parametrize(("label", "level"), [
    ("Public", Level.PUBLIC), ("Internal Use Only", Level.INTERNAL),
    ("Confidential", Level.CONFIDENTIAL), ("Highly Confidential", Level.RESTRICTED),
    ("Restricted", Level.RESTRICTED),
])
def test_classification_label_in_documents(label: str, level: Level) -> None:
    assert levels(f"---\nclassification: {label}\n---\n", "docs/plan.md",
                  "marking.classification-label") == {level}
    assert levels(f"classification: {label}\n", "src/catalog.py",
                  "marking.classification-label") == set()


CODE_AND_PROSE = [
    "from leakguard.model import Level\nlevel = Level.CONFIDENTIAL\n",
    'class Level(enum.Enum):\n    PUBLIC = "public"\n    CONFIDENTIAL = "confidential"\n',
    "def is_confidential(doc):\n    return doc.level == CONFIDENTIAL\n",
    "Keep your data confidential and your keys secret.\n",
    "# Confidential computing\n\nEnclaves keep data confidential while in use.\n",
    "levels:\n  - PUBLIC\n  - INTERNAL\n  - CONFIDENTIAL\n  - RESTRICTED\n",
    "enum Sensitivity {\n  PUBLIC\n  CONFIDENTIAL\n}\n",
    'BANNERS = {"CONFIDENTIAL": "#c62828", "TLP:RED": "#ff2b2b"}\n',
    "case 'TLP:AMBER': return 'amber'\n",
    "if marking == 'TRADE SECRET':\n    raise Blocked()\n",
    "TRADE_SECRET_PATHS = ['src/pricing']\n",
    "Our guide explains what a trade secret is and how courts decide.\n",
    "SECRET_KEY = settings.SECRET_KEY  // fallback\n",
    "The NDA template lives in the legal wiki; we do not work under NDA with contributors.\n",
    "internal_use_only = True  # internal use only: not part of the public API\n",
    "OAUTH_CONFIDENTIAL_CLIENT = True\n",
    "| level | meaning |\n|---|---|\n| `confidential` | need-to-know |\n",
]


@pytest.mark.parametrize("text", CODE_AND_PROSE)
def test_words_in_code_and_prose_are_not_markings(text: str) -> None:
    assert rule_ids(text, "src/module.py") & MARKING_RULES == set()


@pytest.mark.parametrize(("rule", "before", "count", "level"), [
    pytest.param("pii.email", "", 1, Level.INTERNAL, id="email-1"),
    pytest.param("pii.email", "", 10, Level.CONFIDENTIAL, id="email-10"),
    pytest.param("pii.email", "", 25, Level.RESTRICTED, id="email-25"),
    pytest.param("pii.phone", "", 9, Level.INTERNAL, id="phone-9"),
    pytest.param("pii.phone", "", 25, Level.RESTRICTED, id="phone-25"),
    pytest.param("payment.iban", "", 10, Level.RESTRICTED, id="iban-10"),
    pytest.param("infra.host-inventory", "", 10, Level.CONFIDENTIAL, id="inventory-10"),
])
def test_volume_escalates_the_level(rule: str, before: str, count: int, level: Level) -> None:
    rows = {
        "pii.email": lambda i: f"{i},Fake Person {i},fake.person{i:03d}@fakemail-customers.net",
        "pii.phone": lambda i: f"{i},Fake Person {i},{fake.phone(i)}",
        "payment.iban": lambda i: f"{i},Fake Person {i},{fake.iban(i)}",
        "infra.host-inventory": lambda i: f"node{i} ansible_host=10.44.{i}.{i + 10}",
    }[rule]
    path = "ops/inventory/hosts.ini" if rule.startswith("infra") else "exports/people.csv"
    text = before + "\n".join(rows(i) for i in range(count)) + "\n"
    assert levels(text, path, rule) == {level}


def test_json_records_of_many_people_are_a_dump() -> None:
    records = ",\n".join(
        f'  {{"id": {i}, "name": "Fake Person {i}", "email": "fp{i:03d}@fakemail-customers.net"}}'
        for i in range(30))
    assert levels(f"[\n{records}\n]\n", "exports/users.json", "pii.email") == {Level.RESTRICTED}


def test_a_customer_export_is_restricted_even_without_many_emails() -> None:
    rows = ["first_name,last_name,phone,city"]
    rows += [f"Fake,Person{i:02d},{fake.phone(i)},Faketown" for i in range(21)]
    assert levels("\n".join(rows) + "\n", "exports/crm.csv",
                  "customer_data.tabular-export") == {Level.RESTRICTED}


def test_sql_dump_of_people_is_restricted() -> None:
    rows = ["-- PostgreSQL database dump", "COPY public.customers (id, name, email) FROM stdin;"]
    rows += [f"{i}\tFake Person {i}\tfp{i}@fakemail-customers.net" for i in range(20)]
    assert "customer_data.sql-dump" in rule_ids("\n".join(rows) + "\n", "seed/prod.sql")


@pytest.mark.parametrize(("rule", "keyword", "build"), [
    pytest.param("pii.us-ssn", "SSN:", fake.ssn, id="ssn"),
    pytest.param("pii.uk-nino", "National Insurance number", fake.nino, id="nino"),
    pytest.param("pii.ca-sin", "SIN", fake.sin, id="sin"),
    pytest.param("pii.in-aadhaar", "Aadhaar", fake.aadhaar, id="aadhaar"),
    pytest.param("pii.br-cpf", "CPF", fake.cpf, id="cpf"),
    pytest.param("pii.cn-resident-id", "Resident ID", fake.china_id, id="china-id"),
    pytest.param("pii.fr-nir", "NIR", fake.nir, id="nir"),
    pytest.param("pii.es-dni", "DNI", fake.dni, id="dni"),
    pytest.param("payment.aba-routing", "Routing number", fake.aba, id="aba"),
    pytest.param("payment.iban", "IBAN", fake.iban, id="iban"),
    pytest.param("payment.card-number", "Card number",
                 lambda s: fake.grouped(fake.card(s)), id="card"),
])
def test_generated_identifiers_are_found_with_their_keyword(rule, keyword, build) -> None:
    values = [build(seed) for seed in range(12)]
    found = [v for v in values if rule in rule_ids(f"{keyword}: {v}\n", "records.txt")]
    assert found == values


@pytest.mark.parametrize(("rule", "build"), [
    pytest.param("pii.uk-nino", fake.nino, id="nino"),
    pytest.param("pii.ca-sin", fake.sin, id="sin"),
    pytest.param("pii.in-aadhaar", fake.aadhaar, id="aadhaar"),
    pytest.param("pii.fr-nir", fake.nir, id="nir"),
    pytest.param("payment.aba-routing", fake.aba, id="aba"),
    pytest.param("payment.card-number", fake.card, id="card-in-code"),
])
def test_bare_numbers_without_keyword_are_not_reported(rule, build) -> None:
    assert all(rule not in rule_ids(f"value = {build(seed)}\n", "src/calc.py")
               for seed in range(12))


@pytest.mark.parametrize("number", ["4111 1111 1111 1111", "4242424242424242",
                                    "5555 5555 5555 4444", "3782 822463 10005"])
def test_published_test_cards_are_not_cardholder_data(number: str) -> None:
    assert not {"payment.card-number", "payment.card-number-data"} & rule_ids(
        f"card_number,expiry\n{number},12/30\n", "exports/orders.csv")


def test_cards_in_data_files_need_no_keyword() -> None:
    number = fake.card(5)
    assert "payment.card-number-data" in rule_ids(f"1,Fake Person,{number},09/29\n", "orders.csv")
    assert rule_ids(f"1,Fake Person,{number},09/29\n", "src/orders.py") == set()


@pytest.mark.parametrize(("text", "path", "expected"), [
    pytest.param("db_host: 10.42.17.5\n", "deploy/values.yaml", {"infra.private-address"}, id="kv"),
    pytest.param("Use 10.0.0.1 as the gateway in the tutorial.\n", "docs/net.md", set(),
                 id="textbook-address"),
    pytest.param("For example, host: 10.42.17.5\n", "docs/net.md", set(), id="for-example"),
    pytest.param("__version__ = '10.4.2.1'\n", "pkg/__init__.py", set(), id="version"),
    pytest.param("url = 'https://build-07.fakeco.corp/job/1'\n", "ci.py",
                 {"infra.internal-hostname"}, id="internal-url"),
    pytest.param("store = threading.local()\n", "app.py", set(), id="threading-local"),
    pytest.param('role_arn = "arn:aws:iam::470912358861:role/fake"\n', "main.tf",
                 {"infra.aws-arn"}, id="arn"),
])
def test_infrastructure_needs_host_shape(text: str, path: str, expected: set[str]) -> None:
    assert {r for r in rule_ids(text, path) if r.startswith("infra.")} == expected


def test_provenance_header_is_confidential_and_shown_as_found() -> None:
    header = ("/*\n * Copyright (C) FakeCo, Inc - All Rights Reserved\n"
              " * Unauthorized copying of this file, via any medium is strictly prohibited\n"
              " * Proprietary and confidential\n */\n")
    found = [f for f in findings(header, "src/engine.c") if f.category.value == "provenance"]
    assert {f.rule_id for f in found} == {"provenance.unauthorized-copying",
                                          "provenance.proprietary-notice"}
    assert {f.level for f in found} == {Level.CONFIDENTIAL}
    assert "Proprietary and confidential" in {f.redacted for f in found}


def test_open_source_notices_are_not_proprietary() -> None:
    bsd = ("Copyright (c) 2020, Fake Contributors\nAll rights reserved.\n\nRedistribution and use "
           "in source and binary forms, with or without modification, are permitted.\n")
    apache = ("The form and manner of this distribution makes it eligible for export under the "
              "License Exception ENC Technology Software Unrestricted (TSU) exception, "
              "ECCN 5D002.C.1.\n")
    assert rule_ids(bsd, "LICENSE") == set()
    assert rule_ids(apache, "README.md") == set()
