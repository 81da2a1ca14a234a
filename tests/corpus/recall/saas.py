"""Recall cases for SaaS, identity and observability providers.

Keys leak through monitoring agents' configs (datadog.yaml, newrelic.yml), Helm values, Android
resources, Jupyter notebooks, Terraform provider blocks and .env files.
"""

from __future__ import annotations

import json

from tests.corpus.recall import RecallCase
from tests.corpus.recall import _tokens as T
from tests.corpus.recall.gen import ALNUM, B64URL, HEX, UPPER_ALNUM, rand

_DIGITS = "0123456789"


def _uuid(seed: object) -> str:
    h = rand(HEX, 32, seed)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def _notebook(source: str) -> str:
    """A minimal Jupyter notebook whose single code cell holds ``source``."""
    cell = {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
            "source": source.splitlines(keepends=True)}
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5},
                      indent=1) + "\n"


_okta = "00" + rand(B64URL, 40, "s-okta")
_auth0_secret = rand(B64URL, 64, "s-auth0")
_auth0_jwt = T.jwt_token({"alg": "RS256", "typ": "JWT"},
                         {"iss": "https://acme.eu.auth0.com/", "scope": "read:users"}, "s-auth0j", 342)
_keycloak = rand(ALNUM, 32, "s-keycloak")
_duo = rand(ALNUM, 40, "s-duo")

_linear = "lin_api_" + rand(ALNUM, 40, "s-linear")
_linear_oauth = "lin_oauth_" + rand(HEX, 64, "s-linear-oauth")
_ntn = "ntn_" + "4" + rand(_DIGITS, 10, "s-ntn1") + rand(ALNUM, 35, "s-ntn2")
_notion_legacy = "secret_" + rand(ALNUM, 43, "s-notion")
_asana = f"2/1{rand(_DIGITS, 15, 's-as1')}/1{rand(_DIGITS, 15, 's-as2')}:{rand(HEX, 32, 's-as3')}"
_airtable = f"pat{rand(ALNUM, 14, 's-at1')}.{rand(HEX, 64, 's-at2')}"
_figma = "figd_" + rand(B64URL, 40, "s-figma")
_postman = f"PMAK-{rand(HEX, 24, 's-pm1')}-{rand(HEX, 34, 's-pm2')}"
_hubspot = "pat-na1-" + _uuid("s-hubspot")
_intercom = T.intercom("s-intercom")
_zendesk = rand(ALNUM, 40, "s-zendesk")
_contentful = "CFPAT-" + rand(B64URL, 43, "s-contentful")
_dropbox = "sl." + rand(B64URL, 140, "s-dropbox")
_clickup = f"pk_8{rand(_DIGITS, 7, 's-cu1')}_{rand(UPPER_ALNUM, 32, 's-cu2')}"
_mapbox = T.mapbox_secret("s-mapbox")
_algolia = rand(HEX, 32, "s-algolia")
_launchdarkly = "sdk-" + _uuid("s-ld")
_salesforce = f"00D{rand(ALNUM, 12, 's-sf1')}!AQ{rand(ALNUM, 110, 's-sf2')}"
_twitter = "AAAAAAAAAAAAAAAAAAAAA" + rand(ALNUM, 14, "s-tw1") + "%2F" + rand(ALNUM, 88, "s-tw2")
_zapier = ("https://hooks.zapier.com/hooks/catch/1"
           f"{rand(_DIGITS, 7, 's-zap1')}/{rand('abcdefghijklmnopqrstuvwxyz0123456789', 7, 's-zap2')}")

_sntrys = T.sentry_org("s-sentry-org")
_sntryu = "sntryu_" + rand(HEX, 64, "s-sentry-user")
_sentry_legacy = rand(HEX, 64, "s-sentry-legacy")
_sentry_dsn_secret = rand(HEX, 32, "s-sentry-dsn2")
_sentry_dsn = (f"https://{rand(HEX, 32, 's-sentry-dsn1')}:{_sentry_dsn_secret}"
               "@o450000.ingest.sentry.io/5500000")
_dd_api = rand(HEX, 32, "s-dd-api")
_dd_app = rand(HEX, 40, "s-dd-app")
_nrak = "NRAK-" + rand(UPPER_ALNUM, 27, "s-nrak")
_nraa = "NRAA-" + rand(HEX, 27, "s-nraa")
_nrii = "NRII-" + rand(B64URL, 32, "s-nrii")
_nrra = "NRRA-" + rand(HEX, 42, "s-nrra")
_nral = rand(HEX, 36, "s-nral") + "NRAL"
_nrjs = "NRJS-" + rand(HEX, 19, "s-nrjs")
_glc = T.grafana_cloud("s-glc")
_glsa = T.grafana_service_account("s-glsa")
_grafana_legacy = T.grafana_legacy("s-grafana-legacy")
_pagerduty = "u+" + rand(B64URL, 18, "s-pd")
_pd_routing = rand(HEX, 32, "s-pd-routing")
_opsgenie = _uuid("s-opsgenie")
_honeycomb = rand(ALNUM, 22, "s-honeycomb")
_dynatrace = f"dt0c01.{rand(UPPER_ALNUM, 24, 's-dt1')}.{rand(UPPER_ALNUM, 64, 's-dt2')}"
_splunk = _uuid("s-splunk")
_sumo = rand(ALNUM, 64, "s-sumo")
_rollbar = rand(HEX, 32, "s-rollbar")
_posthog = "phx_" + rand(ALNUM, 43, "s-posthog")
_axiom = "xaat-" + _uuid("s-axiom")

CASES = [
    # identity
    RecallCase("okta-ssws-in-powershell", "okta", "okta.api-token", "scripts/users.ps1",
               '$headers = @{ Authorization = "SSWS ' + _okta + '" }\n'
               "Invoke-RestMethod -Uri https://acme.okta.com/api/v1/users -Headers $headers\n", _okta),
    RecallCase("okta-token-in-terraform", "okta", "okta.api-token-assignment", "infra/okta.tf",
               f'provider "okta" {{\n  org_name  = "acme"\n  okta_api_token = "{_okta}"\n}}\n',
               _okta),
    RecallCase("auth0-secret-in-env", "auth0", "auth0.client-secret", ".env.local",
               f"AUTH0_DOMAIN=acme.eu.auth0.com\nAUTH0_CLIENT_SECRET={_auth0_secret}\n",
               _auth0_secret),
    RecallCase("auth0-secret-in-json", "auth0", "auth0.client-secret", "config/auth.json",
               f'{{"auth0ClientSecret": "{_auth0_secret}"}}\n', _auth0_secret),
    RecallCase("auth0-mgmt-token-in-script", "auth0", "auth0.management-api-token",
               "scripts/export-users.sh", f"AUTH0_MGMT_TOKEN={_auth0_jwt}\n", _auth0_jwt),
    RecallCase("keycloak-secret-in-spring", "keycloak", "keycloak.client-secret",
               "src/main/resources/application.properties",
               f"keycloak.realm=acme\nkeycloak.credentials.secret={_keycloak}\n", _keycloak),
    RecallCase("duo-skey-in-ini", "duo", "duo.secret-key", "etc/duo/login_duo.conf",
               f"[duo]\nikey = DIWJ8X6AEYOR5OMC6TQ1\nskey = {_duo}\nhost = api-3e1c.duosecurity.com\n",
               _duo),
    # SaaS
    RecallCase("linear-key-in-env", "linear", "linear.api-key", ".env",
               f"LINEAR_API_KEY={_linear}\n", _linear),
    RecallCase("linear-key-in-notebook", "linear", "linear.api-key", "analysis/issues.ipynb",
               _notebook(f'headers = {{"Authorization": "{_linear}"}}\n'), _linear),
    RecallCase("linear-oauth-in-json", "linear", "linear.oauth-token", "tmp/token.json",
               f'{{"access_token": "{_linear_oauth}", "token_type": "Bearer"}}\n', _linear_oauth),
    RecallCase("notion-ntn-in-python", "notion", "notion.integration-token", "sync/notion.py",
               f'notion = Client(auth="{_ntn}")\n', _ntn),
    RecallCase("notion-legacy-in-env", "notion", "notion.integration-token", ".env",
               f"NOTION_TOKEN={_notion_legacy}\n", _notion_legacy),
    RecallCase("asana-pat-in-env", "asana", "asana.personal-access-token", ".env",
               f"ASANA_ACCESS_TOKEN={_asana}\n", _asana),
    RecallCase("asana-pat-in-curl", "asana", "asana.personal-access-token", "scripts/asana.sh",
               f'curl https://app.asana.com/api/1.0/users/me -H "Authorization: Bearer {_asana}"\n',
               _asana),
    RecallCase("airtable-pat-in-js", "airtable", "airtable.personal-access-token",
               "src/airtable.js", f"const base = new Airtable({{apiKey: '{_airtable}'}}).base('app1');\n",
               _airtable),
    RecallCase("figma-token-in-env", "figma", "figma.personal-access-token", ".env",
               f"FIGMA_TOKEN={_figma}\n", _figma),
    RecallCase("postman-key-in-workflow", "postman", "postman.api-key",
               ".github/workflows/api-tests.yml",
               f"      - run: newman run https://api.getpostman.com/collections/1?apikey={_postman}\n",
               _postman),
    RecallCase("hubspot-token-in-env", "hubspot", "hubspot.private-app-token", ".env",
               f"HUBSPOT_ACCESS_TOKEN={_hubspot}\n", _hubspot),
    RecallCase("intercom-token-in-ruby", "intercom", "intercom.access-token",
               "config/initializers/intercom.rb",
               f"IntercomClient = Intercom::Client.new(token: '{_intercom}')\n", _intercom),
    RecallCase("zendesk-token-in-yaml", "zendesk", "zendesk.api-token", "config/support.yml",
               f"zendesk:\n  subdomain: acme\n  zendesk_token: {_zendesk}\n", _zendesk),
    RecallCase("contentful-token-in-env", "contentful", "contentful.personal-access-token",
               ".env", f"CONTENTFUL_MANAGEMENT_TOKEN={_contentful}\n", _contentful),
    RecallCase("dropbox-token-in-python", "dropbox", "dropbox.access-token", "backup/upload.py",
               f'dbx = dropbox.Dropbox("{_dropbox}")\n', _dropbox),
    RecallCase("clickup-token-in-env", "clickup", "clickup.personal-token", ".env",
               f"CLICKUP_TOKEN={_clickup}\n", _clickup),
    RecallCase("mapbox-secret-in-gradle", "mapbox", "mapbox.secret-token", "gradle.properties",
               f"MAPBOX_DOWNLOADS_TOKEN={_mapbox}\n", _mapbox),
    RecallCase("algolia-admin-key-in-env", "algolia", "algolia.admin-api-key", ".env",
               f"ALGOLIA_APP_ID=ABC123\nALGOLIA_ADMIN_API_KEY={_algolia}\n", _algolia),
    RecallCase("launchdarkly-sdk-key-in-helm", "launchdarkly", "launchdarkly.access-token",
               "charts/app/values.yaml",
               f"launchdarkly:\n  sdkKey: {_launchdarkly}\n", _launchdarkly),
    RecallCase("salesforce-token-in-shell", "salesforce", "salesforce.access-token",
               "scripts/sf.sh",
               "curl https://acme.my.salesforce.com/services/data/v60.0 "
               f'-H "Authorization: Bearer {_salesforce}"\n',
               _salesforce),
    RecallCase("twitter-bearer-in-env", "twitter", "twitter.bearer-token", ".env",
               f"TWITTER_BEARER_TOKEN={_twitter}\n", _twitter),
    RecallCase("zapier-hook-in-js", "zapier", "zapier.webhook-url", "src/leads.js",
               f"fetch('{_zapier}/', {{ method: 'POST', body }});\n", _zapier),
    # observability
    RecallCase("sentry-org-token-in-sentryclirc", "sentry", "sentry.org-auth-token",
               ".sentryclirc", f"[auth]\ntoken={_sntrys}\n", _sntrys),
    RecallCase("sentry-org-token-in-workflow", "sentry", "sentry.org-auth-token",
               ".github/workflows/release.yml", f"env:\n  SENTRY_AUTH_TOKEN: {_sntrys}\n", _sntrys),
    RecallCase("sentry-user-token-in-env", "sentry", "sentry.user-auth-token", ".env",
               f"SENTRY_AUTH_TOKEN={_sntryu}\n", _sntryu),
    RecallCase("sentry-legacy-token-in-env", "sentry", "sentry.legacy-auth-token",
               ".env.production", f"SENTRY_AUTH_TOKEN={_sentry_legacy}\n", _sentry_legacy),
    RecallCase("sentry-dsn-secret-in-settings", "sentry", "sentry.dsn-secret",
               "project/settings.py", f"RAVEN_CONFIG = {{'dsn': '{_sentry_dsn}'}}\n",
               _sentry_dsn_secret),
    RecallCase("datadog-api-key-in-agent-yaml", "datadog", "datadog.api-key",
               "etc/datadog-agent/datadog.yaml",
               f"dd_api_key: {_dd_api}\nsite: datadoghq.eu\n", _dd_api),
    RecallCase("datadog-api-key-in-k8s", "datadog", "datadog.api-key", "k8s/agent.yaml",
               "containers:\n  - name: agent\n    env:\n      - name: DD_API_KEY\n"
               f'        value: "{_dd_api}"\n', _dd_api),
    RecallCase("datadog-app-key-in-terraform", "datadog", "datadog.application-key",
               "infra/monitors.tf",
               f'provider "datadog" {{\n  api_key = var.dd_api_key\n  datadog_app_key = "{_dd_app}"\n}}\n',
               _dd_app),
    RecallCase("newrelic-user-key-in-env", "newrelic", "newrelic.user-api-key", ".env",
               f"NEW_RELIC_API_KEY={_nrak}\n", _nrak),
    RecallCase("newrelic-admin-key-in-yaml", "newrelic", "newrelic.admin-api-key",
               "ops/newrelic.yml", f"admin_api_key: {_nraa}\n", _nraa),
    RecallCase("newrelic-insert-key-in-fluentbit", "newrelic", "newrelic.insights-key",
               "fluent-bit.conf", f"[OUTPUT]\n    Name nrlogs\n    api_key {_nrii}\n", _nrii),
    RecallCase("newrelic-rest-key-in-shell", "newrelic", "newrelic.rest-api-key",
               "scripts/deploy-marker.sh",
               "curl -X POST https://api.newrelic.com/v2/applications/1/deployments.json "
               f'-H "X-Api-Key:{_nrra}"\n',
               _nrra),
    RecallCase("newrelic-license-in-newrelic-yml", "newrelic", "newrelic.license-key",
               "newrelic.yml", f"common: &default_settings\n  license_key: '{_nral}'\n  app_name: web\n",
               _nral),
    RecallCase("newrelic-browser-key-in-html", "newrelic", "newrelic.browser-key",
               "public/index.html",
               f'<script>NREUM.info={{licenseKey:"{_nrjs}",applicationID:"1"}}</script>\n',
               _nrjs),
    RecallCase("grafana-cloud-token-in-alloy", "grafana", "grafana.cloud-access-token",
               "config.alloy",
               'prometheus.remote_write "cloud" {\n  endpoint {\n    basic_auth {\n'
               f'      username = "123456"\n      password = "{_glc}"\n    }}\n  }}\n}}\n', _glc),
    RecallCase("grafana-sa-token-in-env", "grafana", "grafana.service-account-token", ".env",
               f"GRAFANA_TOKEN={_glsa}\n", _glsa),
    RecallCase("grafana-legacy-key-in-terraform", "grafana", "grafana.api-key",
               "infra/grafana.tf",
               'provider "grafana" {\n  url  = "https://grafana.acme.internal"\n'
               f'  auth = "{_grafana_legacy}"\n}}\n',
               _grafana_legacy),
    RecallCase("pagerduty-key-in-env", "pagerduty", "pagerduty.api-key", ".env",
               f"PAGERDUTY_API_KEY={_pagerduty}\n", _pagerduty),
    RecallCase("pagerduty-routing-key-in-alertmanager", "pagerduty", "pagerduty.integration-key",
               "monitoring/alertmanager.yml",
               "receivers:\n  - name: oncall\n    pagerduty_configs:\n"
               f"      - pagerduty_routing_key: {_pd_routing}\n",
               _pd_routing),
    RecallCase("opsgenie-key-in-yaml", "opsgenie", "opsgenie.api-key",
               "monitoring/opsgenie.yaml", f"opsgenie_api_key: {_opsgenie}\n", _opsgenie),
    RecallCase("honeycomb-key-in-otel-env", "honeycomb", "honeycomb.api-key", ".env",
               f"HONEYCOMB_API_KEY={_honeycomb}\n", _honeycomb),
    RecallCase("dynatrace-token-in-helm", "dynatrace", "dynatrace.api-token",
               "charts/dynakube/values.yaml", f"apiToken: {_dynatrace}\n", _dynatrace),
    RecallCase("splunk-hec-in-fluentd", "splunk", "splunk.hec-token", "fluentd/fluent.conf",
               f"<match **>\n  @type splunk_hec\n  hec_token {_splunk}\n</match>\n", _splunk),
    RecallCase("sumologic-key-in-env", "sumologic", "sumologic.access-key", ".env",
               f"SUMOLOGIC_ACCESSID=suABC\nSUMOLOGIC_ACCESSKEY={_sumo}\n", _sumo),
    RecallCase("rollbar-token-in-js", "rollbar", "rollbar.access-token", "src/errors.js",
               f"const rollbar = new Rollbar({{ rollbarAccessToken: '{_rollbar}' }});\n", _rollbar),
    RecallCase("posthog-personal-key-in-env", "posthog", "posthog.personal-api-key", ".env",
               f"POSTHOG_PERSONAL_API_KEY={_posthog}\n", _posthog),
    RecallCase("axiom-token-in-vector", "axiom", "axiom.api-token", "vector.toml",
               f'[sinks.axiom]\ntype = "axiom"\ntoken = "{_axiom}"\n', _axiom),
]
