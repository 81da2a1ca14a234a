"""Published tables the identity validators check against: lengths, issuer ranges, known examples.

Kept apart from the checks so the data can be reviewed (and updated) without reading code.
Sources: SWIFT IBAN registry (lengths), card networks' published IIN ranges, the test-card pages
of Stripe, Adyen, Braintree/PayPal, Authorize.net and Checkout.com, SSA on advertising SSNs,
ITU-T E.164 country codes, NANPA/Ofcom/ACMA fictional number ranges.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Characters in an IBAN by country code (SWIFT IBAN registry).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22,
    "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
    "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

#: IBANs printed in the registry, bank documentation and tutorials: examples, not accounts.
PUBLISHED_IBANS: frozenset[str] = frozenset({
    "GB82WEST12345698765432", "GB29NWBK60161331926819", "GB33BUKB20201555555555",
    "DE89370400440532013000", "DE75512108001245126199", "FR1420041010050500013M02606",
    "NL91ABNA0417164300", "BE68539007547034", "CH9300762011623852957",
    "ES9121000418450200051332", "IT60X0542811101000000123456", "AT611904300234573201",
    "NO9386011117947", "PL61109010140000071219812874", "SE4550000000058398257466",
    "DK5000400440116243", "FI2112345600000785", "IE29AIBK93115212345678",
    "PT50000201231234567890154", "LU280019400644750000", "GR1601101250000000012300695",
    "CZ6508000000192000145399", "HU42117730161111101800000000", "RO49AAAA1B31007593840000",
    "SA0380000000608010167519", "AE070331234567890123456", "BR1800360305000010009795493C1",
    "TR330006100519786457841326",
})

#: (network, inclusive IIN ranges as (low, high) of equal digit count, card lengths).
CARD_NETWORKS: tuple[tuple[str, tuple[tuple[int, int], ...], frozenset[int]], ...] = (
    ("visa", ((4, 4),), frozenset({13, 16, 19})),
    ("mastercard", ((51, 55), (2221, 2720)), frozenset({16})),
    ("amex", ((34, 34), (37, 37)), frozenset({15})),
    ("discover", ((6011, 6011), (644, 649), (65, 65), (622126, 622925)),
     frozenset({16, 17, 18, 19})),
    ("diners", ((300, 305), (3095, 3095), (36, 36), (38, 39)), frozenset(range(14, 20))),
    ("jcb", ((3528, 3589),), frozenset({16, 17, 18, 19})),
    ("unionpay", ((62, 62),), frozenset({16, 17, 18, 19})),
    ("maestro", ((5018, 5018), (5020, 5020), (5038, 5038), (5893, 5893), (6304, 6304),
                 (6759, 6759), (6761, 6763)), frozenset(range(12, 20))),
    ("mir", ((2200, 2204),), frozenset({16, 17, 18, 19})),
    ("rupay", ((60, 60), (652, 653), (508, 508)), frozenset({16})),
)

#: Test card numbers published by payment processors; they move no money and are not cardholder
#: data. Most also fall to the "three distinct digits or fewer" rule; these are the rest and the
#: famous ones, listed so the intent is explicit.
TEST_CARDS: frozenset[str] = _words("""
4242424242424242 4000056655665556 5555555555554444 2223003122003222 5200828282828210
5105105105105100 378282246310005 371449635398431 6011111111111117 6011000990139424
6011981111111113 3056930009020004 36227206271667 6555900000604105 3566002020360505
6200000000000005 6200000000000047 6205500000000000004 4000002500003155 4000002760003184
4000000000003220 4000000000009995 4000000000000002 4000000000000077 4000000000000093
4000000000000341 4111111111111111 4005519200000004 4009348888881881 4012000033330026
4012000077777777 4012888888881881 4217651111111119 4500600000000061 4000111111111115
378734493671000 6011000991300009 3530111333300000 30569309025904 38520000023237
5431111111111111 2223000048400011 6304000000000000 4222222222222 4111111145551142
4988438843884305 4166676667666746 4646464646464644 4444333322221111 5555444433331111
5454545454545454 5500000000000004 2222400070000005 5555341244441115 5577000055770004
5136333333333335 370000000000002 6011601160116611 6445644564456445 3569990010095841
36006666333344 6703444444444449 4035501000000008 4400000000000008 4263970000005262
4543474002249996 5436031030606378 345678901234564 4484070000035519 4917610000000000
6011000000000012 4007000000027 4012888818888 3088000000000017 38000000000006
5424000000000015 2223000010309703 2223000010309711 4916338506082832 5425233430109903
2222420000001113 2222630000001125 4263982640269299 4000620000000007 5101180000000007
2222400010000008 4001590000000001 4917300800000000 4871049999999910 6771798021000008
""")

#: SSNs printed on wallet inserts and in advertising (SSA), plus the universal example.
PUBLISHED_SSNS: frozenset[str] = frozenset({
    "078051120",  # Woolworth wallet insert, 1938
    "219099999",  # Social Security Administration advertisement
    "457555462",  # LifeLock advertising campaign
    "123456789",  # the example in every form and tutorial
})

#: ITU-T E.164 country calling codes in use (one, two and three digits).
COUNTRY_CODES_1: frozenset[str] = frozenset({"1", "7"})
COUNTRY_CODES_2: frozenset[str] = _words("""
20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64
65 66 81 82 84 86 90 91 92 93 94 95 98
""")
COUNTRY_CODES_3: frozenset[str] = frozenset(
    [str(n) for n in (211, 212, 213, 216, 218, 290, 291, 297, 298, 299, 420, 421, 423, 670, 800,
                      808, 850, 852, 853, 855, 856, 870, 878, 880, 881, 882, 883, 886, 888, 979,
                      998)]
    + [str(n) for n in range(220, 259)] + [str(n) for n in range(260, 270)]
    + [str(n) for n in range(350, 360)] + [str(n) for n in range(370, 379)]
    + ["380", "381", "382", "383", "385", "386", "387", "389"]
    + [str(n) for n in range(500, 510)] + [str(n) for n in range(590, 600)]
    + [str(n) for n in range(672, 684)] + [str(n) for n in range(685, 693)]
    + [str(n) for n in range(960, 969)] + [str(n) for n in range(970, 978)]
    + [str(n) for n in range(992, 997)]
)

#: Number ranges regulators reserve for drama and documentation, as (country code, prefix of the
#: national significant number): NANP 555-01xx is checked separately since it follows any area.
FICTIONAL_PHONE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("44", "7700900"), ("44", "1632960"), ("44", "2079460"), ("44", "1134960"),
    ("44", "1144960"), ("44", "1154960"), ("44", "1164960"), ("44", "1174960"),
    ("44", "1184960"), ("44", "1214960"), ("44", "1314960"), ("44", "1414960"),
    ("44", "1514960"), ("44", "1614960"), ("44", "1914980"), ("44", "2920180"),
    ("44", "2890180"), ("44", "8081570"), ("44", "9098790"),
    ("61", "25550"), ("61", "35550"), ("61", "75550"), ("61", "85550"), ("61", "27010"),
    ("61", "37010"), ("61", "77010"), ("61", "87010"), ("61", "49157"),
)
