"""Recall cases for payments and commerce providers.

Payment keys leak through server configs, mobile apps' resources, PHP and Ruby initializers,
CI secrets pasted into workflow files and curl snippets in runbooks.
"""

from __future__ import annotations

from tests.corpus.recall import RecallCase
from tests.corpus.recall.gen import ALNUM, B64, B64URL, HEX, LOWER_ALNUM, rand


def _hex(n: int, seed: object) -> str:
    return rand(HEX, n, seed)


_sk_live = "sk_live_51" + rand(ALNUM, 97, "p-sk-live")
_sk_live_short = "sk_live_" + rand(ALNUM, 24, "p-sk-live-short")
_rk_live = "rk_live_51" + rand(ALNUM, 97, "p-rk-live")
_sk_test = "sk_test_51" + rand(ALNUM, 97, "p-sk-test")
_whsec = "whsec_" + rand(ALNUM, 32, "p-whsec")
_square = "EAAA" + rand(B64URL, 60, "p-square")
_sq0atp = "sq0atp-" + rand(B64URL, 22, "p-sq0atp")
_sq0csp = "sq0csp-" + rand(B64URL, 43, "p-sq0csp")
_bt_prod = f"access_token$production${rand(LOWER_ALNUM, 16, 'p-bt1')}${_hex(32, 'p-bt2')}"
_bt_sandbox = f"access_token$sandbox${rand(LOWER_ALNUM, 16, 'p-bts1')}${_hex(32, 'p-bts2')}"
_bt_private = _hex(32, "p-bt-private")
_paypal = "E" + rand(B64URL, 79, "p-paypal")
_shpat = "shpat_" + _hex(32, "p-shpat")
_shpca = "shpca_" + _hex(32, "p-shpca")
_shppa = "shppa_" + _hex(32, "p-shppa")
_shpss = "shpss_" + _hex(32, "p-shpss")
_adyen = (f"AQE{rand(B64, 74, 'p-adyen1')}=-{rand(B64, 43, 'p-adyen2')}=-"
          f"{rand(ALNUM + '%&()*+,.:;<>?[]^_|~', 16, 'p-adyen3')}")
_adyen_hmac = rand("0123456789ABCDEF", 64, "p-adyen-hmac")
_razorpay = rand(ALNUM, 24, "p-razorpay")
_flw = f"FLWSECK-{_hex(32, 'p-flw')}-X"
_flw_test = f"FLWSECK_TEST-{_hex(32, 'p-flw-test')}-X"
_mollie = "live_" + rand(ALNUM, 30, "p-mollie")
_gocardless = "live_" + rand(B64URL, 40, "p-gocardless")
_paddle = (f"pdl_live_apikey_01{rand(LOWER_ALNUM, 24, 'p-paddle1')}_{rand(ALNUM, 22, 'p-paddle2')}"
           f"_{rand(ALNUM, 3, 'p-paddle3')}")
_plaid = _hex(30, "p-plaid")
_easypost = "EZAK" + _hex(54, "p-easypost")
_shippo = "shippo_live_" + _hex(40, "p-shippo")
_duffel = "duffel_live_" + rand(B64URL, 43, "p-duffel")

CASES = [
    RecallCase("stripe-live-key-in-env", "stripe", "stripe.secret-key", ".env.production",
               f"STRIPE_SECRET_KEY={_sk_live}\nSTRIPE_PUBLISHABLE_KEY=pk_live_abc\n", _sk_live),
    RecallCase("stripe-live-key-in-ruby", "stripe", "stripe.secret-key",
               "config/initializers/stripe.rb", f"Stripe.api_key = '{_sk_live_short}'\n",
               _sk_live_short),
    RecallCase("stripe-live-key-in-curl", "stripe", "stripe.secret-key", "docs/refund.sh",
               f"curl https://api.stripe.com/v1/refunds -u {_sk_live}: -d charge=ch_1\n", _sk_live),
    RecallCase("stripe-restricted-key-in-k8s", "stripe", "stripe.restricted-key",
               "k8s/payments-secret.yaml",
               f"apiVersion: v1\nkind: Secret\nstringData:\n  STRIPE_KEY: {_rk_live}\n", _rk_live),
    RecallCase("stripe-test-key-in-js", "stripe", "stripe.test-key", "server/checkout.js",
               f"const stripe = require('stripe')('{_sk_test}');\n", _sk_test),
    RecallCase("stripe-webhook-secret-in-env", "stripe", "stripe.webhook-secret", ".env",
               f"STRIPE_WEBHOOK_SECRET={_whsec}\n", _whsec),
    RecallCase("square-token-in-strings-xml", "square", "square.access-token",
               "app/src/main/res/values/strings.xml",
               f'<resources>\n    <string name="square_access_token">{_square}</string>\n</resources>\n',
               _square),
    RecallCase("square-token-in-curl", "square", "square.access-token", "scripts/square.sh",
               f'curl https://connect.squareup.com/v2/payments -H "Authorization: Bearer {_square}"\n',
               _square),
    RecallCase("square-legacy-token-in-php", "square", "square.legacy-access-token",
               "src/Payments.php", f"$client = new SquareClient(['accessToken' => '{_sq0atp}']);\n",
               _sq0atp),
    RecallCase("square-app-secret-in-yaml", "square", "square.application-secret",
               "config/square.yml", f"square:\n  application_secret: {_sq0csp}\n", _sq0csp),
    RecallCase("braintree-token-in-env", "braintree", "braintree.access-token", ".env",
               f"BRAINTREE_ACCESS_TOKEN={_bt_prod}\n", _bt_prod),
    RecallCase("braintree-token-in-js", "braintree", "braintree.access-token", "server/pay.js",
               f"const gateway = new braintree.BraintreeGateway({{ accessToken: '{_bt_prod}' }});\n",
               _bt_prod),
    RecallCase("braintree-sandbox-token-in-yaml", "braintree", "braintree.sandbox-access-token",
               "config/braintree.yml", f"sandbox:\n  access_token: {_bt_sandbox}\n", _bt_sandbox),
    RecallCase("braintree-private-key-in-env", "braintree", "braintree.private-key", ".env",
               f"BRAINTREE_MERCHANT_ID=abc\nBRAINTREE_PRIVATE_KEY={_bt_private}\n", _bt_private),
    RecallCase("paypal-secret-in-json", "paypal", "paypal.client-secret",
               "config/paypal.json",
               f'{{"paypal_client_id": "A1b2", "paypal_client_secret": "{_paypal}"}}\n', _paypal),
    RecallCase("paypal-secret-in-env", "paypal", "paypal.client-secret", ".env",
               f"PAYPAL_SECRET={_paypal}\n", _paypal),
    RecallCase("shopify-token-in-toml", "shopify", "shopify.access-token", "shopify.app.toml",
               f'[access]\nadmin_token = "{_shpat}"\n', _shpat),
    RecallCase("shopify-token-in-curl", "shopify", "shopify.access-token", "scripts/orders.sh",
               f"curl -H 'X-Shopify-Access-Token: {_shpat}' "
               "https://acme.myshopify.com/admin/api/2025-01/orders.json\n", _shpat),
    RecallCase("shopify-custom-app-in-env", "shopify", "shopify.custom-app-token", ".env",
               f"SHOPIFY_ADMIN_TOKEN={_shpca}\n", _shpca),
    RecallCase("shopify-private-app-in-theme-kit", "shopify", "shopify.private-app-token",
               "config.yml", f"development:\n  password: {_shppa}\n  store: acme.myshopify.com\n",
               _shppa),
    RecallCase("shopify-secret-in-env", "shopify", "shopify.shared-secret", ".env",
               f"SHOPIFY_API_SECRET={_shpss}\n", _shpss),
    RecallCase("adyen-key-in-env", "adyen", "adyen.api-key", ".env",
               f"ADYEN_API_KEY={_adyen}\nADYEN_MERCHANT_ACCOUNT=AcmeECOM\n", _adyen),
    RecallCase("adyen-key-in-java", "adyen", "adyen.api-key", "src/main/java/Pay.java",
               f'Client client = new Client("{_adyen}", Environment.LIVE, "1797a841fbb37ca7-AdyenDemo");\n',
               _adyen),
    RecallCase("adyen-hmac-in-properties", "adyen", "adyen.hmac-key",
               "src/main/resources/application.properties", f"adyen.hmacKey={_adyen_hmac}\n",
               _adyen_hmac),
    RecallCase("razorpay-secret-in-env", "razorpay", "razorpay.key-secret", ".env",
               f"RAZORPAY_KEY_ID=rzp_live_abc\nRAZORPAY_KEY_SECRET={_razorpay}\n", _razorpay),
    RecallCase("flutterwave-key-in-env", "flutterwave", "flutterwave.secret-key", ".env",
               f"FLW_SECRET_KEY={_flw}\n", _flw),
    RecallCase("flutterwave-test-key-in-js", "flutterwave", "flutterwave.test-secret-key",
               "server/flw.js", f"const flw = new Flutterwave(PUBLIC_KEY, '{_flw_test}');\n",
               _flw_test),
    RecallCase("mollie-key-in-php", "mollie", "mollie.api-key", "config/mollie.php",
               f"<?php\n$mollie = new \\Mollie\\Api\\MollieApiClient();\n$mollie->setApiKey('{_mollie}');\n",
               _mollie),
    RecallCase("gocardless-token-in-env", "gocardless", "gocardless.access-token", ".env",
               f"GOCARDLESS_ACCESS_TOKEN={_gocardless}\n", _gocardless),
    RecallCase("paddle-key-in-env", "paddle", "paddle.api-key", ".env",
               f"PADDLE_API_KEY={_paddle}\n", _paddle),
    RecallCase("plaid-secret-in-yaml", "plaid", "plaid.secret", "config/plaid.yaml",
               f"plaid:\n  client_id: abc\n  plaid_secret: {_plaid}\n", _plaid),
    RecallCase("easypost-key-in-python", "easypost", "easypost.api-key", "shipping/labels.py",
               f'client = easypost.EasyPostClient("{_easypost}")\n', _easypost),
    RecallCase("shippo-token-in-env", "shippo", "shippo.api-token", ".env",
               f"SHIPPO_API_KEY={_shippo}\n", _shippo),
    RecallCase("duffel-token-in-ts", "duffel", "duffel.access-token", "src/travel.ts",
               f"const duffel = new Duffel({{ token: '{_duffel}' }});\n", _duffel),
]
