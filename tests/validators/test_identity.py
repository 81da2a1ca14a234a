"""Identity validators: each accepts generated valid values and rejects near misses."""

from __future__ import annotations

import pytest

from leakguard.validators import FILTERS, VALIDATORS
from leakguard.validators.identity import card_network, verhoeff_ok
from leakguard.validators.identity_tables import PUBLISHED_IBANS, TEST_CARDS
from tests import identity_fakes as fake


def _flip_last_digit(value: str) -> str:
    last = value[-1]
    return value[:-1] + ("0" if last != "0" else "1")


GENERATED = [
    pytest.param("us_ssn", fake.ssn, id="ssn"),
    pytest.param("uk_nino", fake.nino, id="nino"),
    pytest.param("ca_sin", fake.sin, id="sin"),
    pytest.param("in_aadhaar", fake.aadhaar, id="aadhaar"),
    pytest.param("br_cpf", fake.cpf, id="cpf"),
    pytest.param("cn_resident_id", fake.china_id, id="china-id"),
    pytest.param("fr_nir", fake.nir, id="nir"),
    pytest.param("es_dni", fake.dni, id="dni"),
    pytest.param("es_dni", lambda seed: fake.dni(seed, nie=True), id="nie"),
    pytest.param("aba_routing", fake.aba, id="aba"),
    pytest.param("iban_mod97", fake.iban, id="iban-de"),
    pytest.param("iban_mod97", lambda s: fake.iban(s, "GB", 18), id="iban-gb"),
    pytest.param("iban_mod97", lambda s: fake.iban(s, "FR", 23), id="iban-fr"),
    pytest.param("payment_card", fake.card, id="card-visa"),
    pytest.param("payment_card", lambda s: fake.card(s, "37", 15), id="card-amex"),
    pytest.param("payment_card", lambda s: fake.card(s, "5412", 16), id="card-mastercard"),
    pytest.param("payment_card", lambda s: fake.card(s, "2720", 16), id="card-mastercard-2"),
    pytest.param("payment_card", lambda s: fake.card(s, "3530", 16), id="card-jcb"),
    pytest.param("phone_number", fake.phone, id="phone"),
]


@pytest.mark.parametrize(("name", "build"), GENERATED)
def test_generated_values_are_valid(name: str, build) -> None:
    check = VALIDATORS[name]
    values = [build(seed) for seed in range(25)]
    assert [v for v in values if not check(v)] == []


@pytest.mark.parametrize(("name", "build"), [p for p in GENERATED if p.id not in
                                             ("ssn", "nino", "phone")])
def test_a_wrong_check_digit_is_rejected(name: str, build) -> None:
    """Checksummed ids: changing the check digit breaks every one of them."""
    check = VALIDATORS[name]
    broken = [_flip_last_digit(build(seed)) if not build(seed)[-1].isalpha() else
              build(seed)[:-1] + ("A" if build(seed)[-1] != "A" else "B") for seed in range(25)]
    assert [b for b in broken if check(b)] == []


@pytest.mark.parametrize(("name", "value", "expected"), [
    # SSN structure and published numbers
    pytest.param("us_ssn", "536-22-8541", True, id="ssn-ok"),
    pytest.param("us_ssn", "000-22-8541", False, id="ssn-area-000"),
    pytest.param("us_ssn", "666-22-8541", False, id="ssn-area-666"),
    pytest.param("us_ssn", "912-22-8541", False, id="ssn-area-9xx-itin"),
    pytest.param("us_ssn", "536-00-8541", False, id="ssn-group-00"),
    pytest.param("us_ssn", "536-22-0000", False, id="ssn-serial-0000"),
    pytest.param("us_ssn", "078-05-1120", False, id="ssn-woolworth-wallet"),
    pytest.param("us_ssn", "219-09-9999", False, id="ssn-ssa-advert"),
    pytest.param("us_ssn", "123-45-6789", False, id="ssn-textbook"),
    pytest.param("us_ssn", "222-22-2222", False, id="ssn-repeated"),
    pytest.param("us_ssn", "111-22-3333", False, id="ssn-typed-fake"),
    # NINO prefixes and suffix
    pytest.param("uk_nino", "AB 12 34 56 C", True, id="nino-spaced"),
    pytest.param("uk_nino", "DA123456A", False, id="nino-first-D"),
    pytest.param("uk_nino", "AO123456A", False, id="nino-second-O"),
    pytest.param("uk_nino", "GB123456A", False, id="nino-prefix-GB"),
    pytest.param("uk_nino", "AB123456E", False, id="nino-suffix-E"),
    # SIN
    pytest.param("ca_sin", "046 454 286", False, id="sin-first-0-government-example"),
    pytest.param("ca_sin", fake.sin(7), True, id="sin-ok"),
    pytest.param("ca_sin", _flip_last_digit(fake.sin(7)), False, id="sin-luhn"),
    pytest.param("ca_sin", "846 454 283", False, id="sin-first-8"),
    # CPF
    pytest.param("br_cpf", "111.111.111-11", False, id="cpf-repeated"),
    # China id with an impossible birth date
    pytest.param("cn_resident_id", "11010519991332001X", False, id="cn-month-13"),
    # NIR Corsica department
    pytest.param("fr_nir", fake.nir(3, "2A"), True, id="nir-corsica"),
    pytest.param("fr_nir", "5" + fake.nir(3)[1:], False, id="nir-sex-digit"),
    # DNI
    pytest.param("es_dni", "12345678Z", True, id="dni-letter-ok"),
    pytest.param("es_dni", "12345678A", False, id="dni-letter-wrong"),
    pytest.param("es_dni", "X1234567L", True, id="nie-ok"),
    # ABA
    pytest.param("aba_routing", "021000021", True, id="aba-ok"),
    pytest.param("aba_routing", "021000022", False, id="aba-checksum"),
    pytest.param("aba_routing", "501000025", False, id="aba-bad-district"),
    pytest.param("aba_routing", "000000000", False, id="aba-zeros"),
    # IBAN: length per country
    pytest.param("iban_mod97", "GB82 WEST 1234 5698 7654 32", True, id="iban-gb-example"),
    pytest.param("iban_mod97", "GB82 WEST 1234 5698 7654 33", False, id="iban-checksum"),
    pytest.param("iban_mod97", "GB82WEST123456987654", False, id="iban-short-for-gb"),
    pytest.param("iban_mod97", "QQ82WEST12345698765432", False, id="iban-unknown-country"),
    # Cards: issuer ranges and lengths
    pytest.param("payment_card", fake.card(1, "4", 13), True, id="visa-13"),
    pytest.param("payment_card", fake.card(1, "4", 15), False, id="visa-15"),
    pytest.param("payment_card", fake.card(1, "34", 16), False, id="amex-16"),
    pytest.param("payment_card", fake.card(1, "56", 16), False, id="prefix-56-unassigned"),
    pytest.param("payment_card", fake.card(1, "1", 16), False, id="prefix-1"),
    # Phones
    pytest.param("phone_number", "+44 20 7946 1234", True, id="phone-uk-london"),
    pytest.param("phone_number", "+44 20 7946 0958", False, id="phone-uk-drama-range"),
    pytest.param("phone_number", "(212) 555-0142", False, id="phone-nanp-555-01"),
    pytest.param("phone_number", "(212) 714-3388", True, id="phone-nanp"),
    pytest.param("phone_number", "(212) 114-3388", False, id="phone-nanp-exchange-1"),
    pytest.param("phone_number", "+999 1234 5678", False, id="phone-unassigned-cc"),
    pytest.param("phone_number", "+49 1111 1111", False, id="phone-repeated"),
    pytest.param("phone_number", "+1 234", False, id="phone-too-short"),
    pytest.param("phone_number", "+44 1234 5678 9012 345", False, id="phone-too-long"),
    pytest.param("phone_number", "030 2345 6789", True, id="phone-national-trunk"),
    pytest.param("phone_number", "0123456789", False, id="phone-straight-run"),
    # Dates of birth
    pytest.param("date_of_birth", "1984-07-09", True, id="dob-iso"),
    pytest.param("date_of_birth", "09.07.1984", True, id="dob-german"),
    pytest.param("date_of_birth", "07/31/1984", True, id="dob-us"),
    pytest.param("date_of_birth", "9 July 1984", True, id="dob-words"),
    pytest.param("date_of_birth", "July 9th, 1984", True, id="dob-words-us"),
    pytest.param("date_of_birth", "1984-02-30", False, id="dob-feb-30"),
    pytest.param("date_of_birth", "1850-01-01", False, id="dob-too-old"),
    pytest.param("date_of_birth", "2999-01-01", False, id="dob-future"),
    pytest.param("date_of_birth", "13/13/1984", False, id="dob-no-reading"),
    pytest.param("date_of_birth", "Smarch 3, 1984", False, id="dob-no-month"),
])
def test_known_values(name: str, value: str, expected: bool) -> None:
    assert VALIDATORS[name](value) is expected


def test_card_networks_by_range() -> None:
    assert card_network(fake.card(2, "4", 16)) == "visa"
    assert card_network(fake.card(2, "2221", 16)) == "mastercard"
    assert card_network(fake.card(2, "2721", 16)) is None
    assert card_network(fake.card(2, "6011", 16)) == "discover"
    assert card_network(fake.card(2, "2200", 16)) == "mir"


@pytest.mark.parametrize("number", sorted(TEST_CARDS))
def test_published_test_cards_are_well_formed_but_filtered(number: str) -> None:
    """The list only holds Luhn-valid numbers (so a typo cannot hide), and every one is filtered."""
    assert VALIDATORS["luhn"](number)
    assert FILTERS["test_card"](number)


def test_real_looking_cards_pass_the_test_card_filter() -> None:
    generated = [fake.card(seed) for seed in range(30)]
    assert [c for c in generated if FILTERS["test_card"](c)] == []
    assert FILTERS["test_card"]("4000 0000 0000 0002")


@pytest.mark.parametrize("value", sorted(PUBLISHED_IBANS))
def test_published_ibans_are_valid_and_filtered(value: str) -> None:
    assert VALIDATORS["iban_mod97"](value)
    assert FILTERS["example_iban"](value)
    assert not FILTERS["example_iban"](fake.iban(1))


def test_verhoeff_catches_adjacent_swaps() -> None:
    number = fake.aadhaar(4)
    swapped = number[:4] + number[5] + number[4] + number[6:]
    assert verhoeff_ok(number)
    assert swapped == number or not verhoeff_ok(swapped)


@pytest.mark.parametrize(("name", "value", "expected"), [
    pytest.param("private_address", "10.42.17.5", True, id="rfc1918-10"),
    pytest.param("private_address", "172.20.3.4/16", True, id="rfc1918-172-cidr"),
    pytest.param("private_address", "172.32.3.4", False, id="outside-172.16/12"),
    pytest.param("private_address", "100.100.7.1", True, id="cgnat"),
    pytest.param("private_address", "100.128.7.1", False, id="outside-cgnat"),
    pytest.param("private_address", "fd12:3456:789a::1", True, id="ula"),
    pytest.param("private_address", "fe80::1", False, id="link-local"),
    pytest.param("private_address", "192.168.1.1", False, id="textbook-router"),
    pytest.param("private_address", "198.51.100.7", False, id="documentation-range"),
    pytest.param("private_address", "10.300.1.1", False, id="not-an-address"),
    pytest.param("internal_host", "db-01.fakeco.internal", True, id="host-internal"),
    pytest.param("internal_host", "10.9.8.7", True, id="host-private-ip"),
    pytest.param("internal_host", "github.com", False, id="host-public"),
    pytest.param("internal_host", "localhost.localdomain", False, id="host-localhost"),
])
def test_network_validators(name: str, value: str, expected: bool) -> None:
    assert VALIDATORS[name](value) is expected
