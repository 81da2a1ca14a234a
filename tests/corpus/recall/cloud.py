"""Recall cases for cloud and hosting providers: AWS, Google Cloud, Azure, Cloudflare and more.

Every value is built here from a seed in the provider's published format, and placed where
such credentials really leak: .env files, notebooks, Terraform, Actions workflows, SDK
configuration files, connection strings and command lines.
"""

from __future__ import annotations

import json

from tests.corpus.recall import RecallCase
from tests.corpus.recall._leak_places import (
    HEX,
    cloudflare_token,
    dotenv,
    k8s_secret,
    notebook,
    uuid4,
    workflow,
)
from tests.corpus.recall.gen import ALNUM, B32, B64, B64URL, LOWER_ALNUM, UPPER_ALNUM, b64, rand

B64STD = B64  # the standard alphabet, + and /
HEXU = "0123456789abcdef"


def _r(alphabet: str, n: int, seed: str) -> str:
    return rand(alphabet, n, ("cloud", seed))


def _b64key(n: int, seed: str, pad: str = "") -> str:
    return _r(B64STD, n, seed) + pad


CASES: list[RecallCase] = []


def case(id: str, family: str, rule: str, path: str, content: str, secret: str) -> None:
    CASES.append(RecallCase(id, family, rule, path, content, secret))


# -- AWS ---------------------------------------------------------------------------------------
_akia = "AKIA" + _r(B32, 16, "akia")
_asia = "ASIA" + _r(B32, 16, "asia")
_aws_sk = _r(ALNUM + "/+", 40, "aws-sk")
_aws_sk2 = _r(ALNUM + "/+", 40, "aws-sk2")
_aws_sk3 = _r(ALNUM + "/+", 40, "aws-sk3")
_session = "IQoJb3JpZ2luX2Vj" + _r(B64STD, 340, "aws-session") + "=="
_session2 = "FwoGZXIvYXdzE" + _r(B64STD, 280, "aws-session2")

case("aws-id-terraform-provider", "aws", "aws.access-key-id", "infra/providers.tf",
     f'provider "aws" {{\n  region     = "eu-west-1"\n  access_key = "{_akia}"\n'
     f'  secret_key = "{_aws_sk}"\n}}\n', _akia)
case("aws-secret-terraform-provider", "aws", "aws.secret-access-key", "infra/providers.tf",
     f'provider "aws" {{\n  region     = "eu-west-1"\n  access_key = "{_akia}"\n'
     f'  secret_key = "{_aws_sk}"\n}}\n', _aws_sk)
case("aws-secret-credentials-csv", "aws", "aws.secret-access-key", "ops/new_user_credentials.csv",
     f"User name,Password,Access key ID,Secret access key,Console login link\n"
     f"deploy,,{_akia},{_aws_sk2},https://123456789012.signin.aws.amazon.com/console\n", _aws_sk2)
case("aws-id-notebook", "aws", "aws.access-key-id", "notebooks/s3-export.ipynb",
     notebook("import os, boto3", f'os.environ["AWS_ACCESS_KEY_ID"] = "{_asia}"',
              f'os.environ["AWS_SECRET_ACCESS_KEY"] = "{_aws_sk3}"',
              's3 = boto3.client("s3")'), _asia)
case("aws-secret-notebook", "aws", "aws.secret-access-key", "notebooks/s3-export.ipynb",
     notebook("import os, boto3", f'os.environ["AWS_ACCESS_KEY_ID"] = "{_asia}"',
              f'os.environ["AWS_SECRET_ACCESS_KEY"] = "{_aws_sk3}"',
              's3 = boto3.client("s3")'), _aws_sk3)
case("aws-secret-actions-env", "aws", "aws.secret-access-key", ".github/workflows/deploy.yml",
     workflow({"AWS_ACCESS_KEY_ID": _akia, "AWS_SECRET_ACCESS_KEY": _aws_sk,
               "AWS_REGION": "us-east-1"}, "aws s3 sync dist s3://fake-site"), _aws_sk)
case("aws-secret-sts-json", "aws", "aws.secret-access-key", "debug/assume-role.json",
     json.dumps({"Credentials": {"AccessKeyId": _asia, "SecretAccessKey": _aws_sk2,
                                 "SessionToken": _session,
                                 "Expiration": "2030-01-01T00:00:00Z"}}, indent=4), _aws_sk2)
case("aws-session-sts-json", "aws", "aws.session-token", "debug/assume-role.json",
     json.dumps({"Credentials": {"AccessKeyId": _asia, "SecretAccessKey": _aws_sk2,
                                 "SessionToken": _session,
                                 "Expiration": "2030-01-01T00:00:00Z"}}, indent=4), _session)
case("aws-session-credentials-file", "aws", "aws.session-token", "home/.aws/credentials",
     f"[sso]\naws_access_key_id = {_asia}\naws_secret_access_key = {_aws_sk}\n"
     f"aws_session_token = {_session2}\n", _session2)
_mws = f"amzn.mws.{uuid4('mws')}"
case("aws-mws-php", "aws", "aws.mws-auth-token", "config/marketplace.php",
     f"<?php\nreturn [\n    'seller_id' => 'A1FAKESELLER',\n    'mws_auth_token' => '{_mws}',\n];\n",
     _mws)
_appsync = "da2-" + _r(LOWER_ALNUM, 26, "appsync")
case("aws-appsync-amplify", "aws", "aws.appsync-api-key", "src/aws-exports.js",
     "const awsmobile = {\n  aws_appsync_graphqlEndpoint: "
     "'https://fake.appsync-api.eu-west-1.amazonaws.com/graphql',\n"
     f"  aws_appsync_authenticationType: 'API_KEY',\n  aws_appsync_apiKey: '{_appsync}',\n}};\n"
     "export default awsmobile;\n", _appsync)
_bedrock_long = "ABSK" + b64("BedrockAPIKey-" + _r(ALNUM, 12, "brk-id") + "-at-123456789012:"
                             + _r(ALNUM + "/+", 44, "brk"))
case("aws-bedrock-long-env", "aws", "aws.bedrock-api-key-long-term", ".env",
     dotenv(AWS_REGION="us-east-1", AWS_BEARER_TOKEN_BEDROCK=_bedrock_long), _bedrock_long)
_bedrock_short = "bedrock-api-key-" + b64(
    "bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256"
    f"&X-Amz-Credential={_asia}%2F20250101%2Fus-east-1%2Fbedrock%2Faws4_request"
    f"&X-Amz-Date=20250101T000000Z&X-Amz-Expires=43200&X-Amz-Security-Token={_session2[:80]}"
    f"&X-Amz-Signature={_r(HEX, 64, 'brk-sig')}&X-Amz-SignedHeaders=host&Version=1")
case("aws-bedrock-short-shell", "aws", "aws.bedrock-api-key-short-term", "scripts/claude.sh",
     f"#!/bin/sh\nexport AWS_BEARER_TOKEN_BEDROCK={_bedrock_short}\nexec claude \"$@\"\n",
     _bedrock_short)

# -- Google Cloud ------------------------------------------------------------------------------
_aiza = "AIza" + _r(B64URL, 35, "aiza")
_aiza2 = "AIza" + _r(B64URL, 35, "aiza2")
_gemini = "AIza" + _r(B64URL, 35, "gemini")
case("gcp-api-key-android-strings", "gcp", "gcp.api-key", "app/src/main/res/values/keys.xml",
     f'<?xml version="1.0" encoding="utf-8"?>\n<resources>\n'
     f'    <string name="google_maps_key" translatable="false">{_aiza}</string>\n</resources>\n',
     _aiza)
case("gcp-api-key-js-config", "gcp", "gcp.api-key", "web/src/config.ts",
     f"export const config = {{\n  mapsApiKey: \"{_aiza2}\",\n  region: 'europe-west1',\n}};\n",
     _aiza2)
case("gemini-key-notebook", "gcp", "google.ai-studio-api-key", "notebooks/summarise.ipynb",
     notebook("import google.generativeai as genai", f'genai.configure(api_key="{_gemini}")',
              'model = genai.GenerativeModel("gemini-1.5-flash")'), _gemini)
case("gemini-key-env", "gcp", "google.ai-studio-api-key", "backend/.env",
     dotenv(GEMINI_API_KEY=_gemini, GEMINI_MODEL="gemini-1.5-pro"), _gemini)
_sa_key_body = "\\n".join(_r(B64STD, 64, f"sa-{i}") for i in range(24))
_sa_pem = ("-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC"
           f"{_sa_key_body}\\n-----END PRIVATE KEY-----\\n")
_sa_json = ('{\n  "type": "service_account",\n  "project_id": "fake-prod-123",\n'
            f'  "private_key_id": "{_r(HEX, 40, "sa-kid")}",\n  "private_key": "{_sa_pem}",\n'
            '  "client_email": "deployer@fake-prod-123.iam.gserviceaccount.com",\n'
            '  "client_id": "100000000000000000001",\n'
            '  "token_uri": "https://oauth2.googleapis.com/token"\n}\n')
case("gcp-service-account-json", "gcp", "gcp.service-account-key", "deploy/gcp-sa.json",
     _sa_json, _sa_pem)
case("gcp-service-account-in-k8s-stringdata", "gcp", "gcp.service-account-key",
     "k8s/gcp-credentials.yaml",
     "apiVersion: v1\nkind: Secret\nmetadata:\n  name: gcp-credentials\nstringData:\n"
     "  key.json: |\n" + "".join("    " + line + "\n" for line in _sa_json.splitlines()),
     _sa_pem)
_gocspx = "GOCSPX-" + _r(B64URL, 28, "gocspx")
case("gcp-oauth-client-secret-json", "gcp", "gcp.oauth-client-secret", "client_secret.json",
     json.dumps({"web": {"client_id": "1234567890-fake.apps.googleusercontent.com",
                         "project_id": "fake-prod", "client_secret": _gocspx,
                         "redirect_uris": ["https://app.fake.test/oauth2callback"]}}), _gocspx)
_legacy_cs = _r(B64URL, 24, "legacy-cs")
case("gcp-oauth-client-secret-legacy", "gcp", "gcp.oauth-client-secret-legacy",
     "credentials.json",
     json.dumps({"installed": {"client_id": "1234567890-fake.apps.googleusercontent.com",
                               "client_secret": _legacy_cs,
                               "auth_uri": "https://accounts.google.com/o/oauth2/auth"}}),
     _legacy_cs)
_ya29 = "ya29.a0" + _r(B64URL, 150, "ya29")
case("gcp-access-token-curl", "gcp", "gcp.oauth-access-token", "docs/debugging.md",
     "Call the API directly:\n\n```sh\ncurl -H \"Authorization: Bearer "
     f"{_ya29}\" \\\n  https://storage.googleapis.com/storage/v1/b?project=fake-prod\n```\n",
     _ya29)
_refresh = "1//0" + _r(B64URL, 99, "refresh")
case("gcp-refresh-token-adc", "gcp", "gcp.oauth-refresh-token",
     "home/.config/gcloud/application_default_credentials.json",
     json.dumps({"client_id": "764086051850-fake.apps.googleusercontent.com",
                 "client_secret": "d-FL95Q19q7MQmFpd7hHD0Ty", "refresh_token": _refresh,
                 "type": "authorized_user"}, indent=2), _refresh)
_fcm = "AAAA" + _r(B64URL, 7, "fcm-a") + ":APA91b" + _r(B64URL, 134, "fcm")
case("gcp-fcm-server-key-node", "gcp", "gcp.fcm-server-key", "server/push.js",
     "const fetch = require('node-fetch');\n"
     f"const SERVER_KEY = '{_fcm}';\n"
     "fetch('https://fcm.googleapis.com/fcm/send', {headers: {Authorization: `key=${SERVER_KEY}`}});\n",
     _fcm)
_goog = "GOOG1E" + _r(UPPER_ALNUM, 55, "goog")
_gs_secret = _r(ALNUM + "/+", 40, "gs-secret")
case("gcp-hmac-boto", "gcp", "gcp.storage-hmac-secret", "home/.boto",
     f"[Credentials]\ngs_access_key_id = {_goog}\ngs_secret_access_key = {_gs_secret}\n\n"
     "[Boto]\nhttps_validate_certificates = True\n", _gs_secret)
_aq = "AQ.Ab8RN6" + _r(B64URL, 44, "aq")
case("gcp-bound-key-env", "gcp", "gcp.bound-api-key", ".env.local",
     dotenv(GOOGLE_CLOUD_PROJECT="fake-prod", GOOGLE_API_KEY=_aq), _aq)

# -- Azure -------------------------------------------------------------------------------------


def _azure_sig(n_before: int, signature: str, n_after: int, seed: str, tail: str) -> str:
    return _r(B64STD, n_before, seed) + signature + _r(B64STD, n_after, seed + "-t") + tail


_st_ident = _azure_sig(76, "+ASt", 5, "st", "A==")
_st_legacy = _b64key(86, "st-legacy", "==")
_st_legacy2 = _b64key(86, "st-legacy2", "==")
case("azure-storage-identifiable-appsettings", "azure", "azure.storage-identifiable-key",
     "src/Api/appsettings.Production.json",
     json.dumps({"ConnectionStrings": {"Blob": "DefaultEndpointsProtocol=https;"
                                       f"AccountName=fakeprodstore;AccountKey={_st_ident};"
                                       "EndpointSuffix=core.windows.net"}}, indent=2), _st_ident)
case("azure-storage-connection-local-settings", "azure", "azure.storage-connection-string",
     "src/Functions/local.settings.json",
     json.dumps({"IsEncrypted": False, "Values": {
         "AzureWebJobsStorage": f"DefaultEndpointsProtocol=https;AccountName=fakefuncstore;"
                                f"AccountKey={_st_legacy};EndpointSuffix=core.windows.net",
         "FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated"}}, indent=2), _st_legacy)
case("azure-storage-key-helm-values", "azure", "azure.storage-account-key",
     "charts/backup/values-prod.yaml",
     f"backup:\n  schedule: '0 3 * * *'\n  azureStorageAccountName: fakebackups\n"
     f"  azureStorageAccountKey: {_st_legacy2}\n", _st_legacy2)
_cosmos_ident = _azure_sig(76, "ACDb", 5, "cosmos", "Q==")
_cosmos_legacy = _b64key(86, "cosmos-legacy", "==")
case("azure-cosmos-identifiable-env", "azure", "azure.cosmosdb-identifiable-key", ".env",
     dotenv(COSMOS_ENDPOINT="https://fake-cosmos.documents.azure.com:443/",
            COSMOS_KEY=_cosmos_ident), _cosmos_ident)
case("azure-cosmos-connection-appsettings", "azure", "azure.cosmosdb-key", "appsettings.json",
     json.dumps({"Cosmos": {"ConnectionString": "AccountEndpoint=https://fake-cosmos.documents."
                                                f"azure.com:443/;AccountKey={_cosmos_legacy};"}}),
     _cosmos_legacy)
_func = _r(B64URL, 44, "func") + "AzFu" + _r(ALNUM, 5, "func-t") + "g=="
case("azure-function-key-curl", "azure", "azure.functions-identifiable-key",
     "scripts/trigger.sh",
     f"curl -X POST 'https://fake-app.azurewebsites.net/api/ingest?code={_func}' -d @batch.json\n",
     _func)
_search = _r(ALNUM, 42, "search") + "AzSeC" + _r(ALNUM, 5, "search-t")
case("azure-search-key-notebook", "azure", "azure.search-identifiable-key",
     "notebooks/index.ipynb",
     notebook("from azure.search.documents import SearchClient",
              "from azure.core.credentials import AzureKeyCredential",
              f'client = SearchClient("https://fake-search.search.windows.net", "docs", '
              f'AzureKeyCredential("{_search}"))'), _search)
_sb = _azure_sig(33, "+ASb", 0, "sb", "") + "D" + _r(B64STD, 5, "sb-t") + "="
case("azure-service-bus-identifiable", "azure", "azure.service-bus-identifiable-key",
     "worker/config.yaml",
     "servicebus:\n  connection: \"Endpoint=sb://fake-bus.servicebus.windows.net/;"
     f"SharedAccessKeyName=send;SharedAccessKey={_sb}\"\n  queue: orders\n", _sb)
_eh = _azure_sig(33, "+AEh", 0, "eh", "") + "B" + _r(B64STD, 5, "eh-t") + "="
case("azure-event-hubs-identifiable", "azure", "azure.event-hubs-identifiable-key",
     "ingest/producer.py",
     "from azure.eventhub import EventHubProducerClient\n"
     "CONN = ('Endpoint=sb://fake-eh.servicebus.windows.net/;SharedAccessKeyName=send;'\n"
     f"        'SharedAccessKey={_eh};EntityPath=telemetry')\n", _eh)
_relay = _azure_sig(33, "+ARm", 0, "relay", "") + "A" + _r(B64STD, 5, "relay-t") + "="
case("azure-relay-identifiable", "azure", "azure.relay-identifiable-key", ".env",
     dotenv(RELAY_NAMESPACE="fake-relay", RELAY_KEY=_relay), _relay)
_sb_legacy = _b64key(43, "sb-legacy", "=")
case("azure-messaging-connection-legacy", "azure", "azure.messaging-connection-string",
     "src/Worker/local.settings.json",
     json.dumps({"Values": {"ServiceBusConnection": "Endpoint=sb://fake-bus.servicebus.windows.net/"
                            f";SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={_sb_legacy}"}}),
     _sb_legacy)
_iot = _azure_sig(33, "AIoT", 0, "iot", "") + "P" + _r(B64STD, 5, "iot-t") + "="
case("azure-iot-identifiable", "azure", "azure.iot-identifiable-key", "device/config.toml",
     '[cloud]\nconnection_string = "HostName=fake-hub.azure-devices.net;DeviceId=sensor-17;'
     f'SharedAccessKey={_iot}"\n', _iot)
_iot_legacy = _b64key(43, "iot-legacy", "=")
case("azure-iot-connection-legacy", "azure", "azure.iot-connection-string", ".env",
     dotenv(IOTHUB_CONNECTION_STRING="HostName=fake-hub.azure-devices.net;"
            f"SharedAccessKeyName=iothubowner;SharedAccessKey={_iot_legacy}"), _iot_legacy)
_redis_ident = _azure_sig(33, "AzCa", 0, "redis", "") + "K" + _r(B64STD, 5, "redis-t") + "="
case("azure-redis-identifiable", "azure", "azure.redis-identifiable-key", "appsettings.json",
     json.dumps({"Redis": f"fake-cache.redis.cache.windows.net:6380,password={_redis_ident},"
                          "ssl=True,abortConnect=False"}), _redis_ident)
_redis_legacy = _b64key(43, "redis-legacy", "=")
case("azure-redis-connection-compose", "azure", "azure.redis-connection-string",
     "docker-compose.prod.yml",
     "services:\n  api:\n    image: fake/api:1.4\n    environment:\n"
     f"      REDIS: fake-cache.redis.cache.windows.net:6380,password={_redis_legacy},ssl=True\n",
     _redis_legacy)
_acr = _r(B64STD, 42, "acr") + "+ACRA" + _r(B64STD, 5, "acr-t")
case("azure-acr-password-workflow", "azure", "azure.container-registry-identifiable-key",
     ".github/workflows/image.yml",
     workflow({"REGISTRY": "fakereg.azurecr.io"},
              f"docker login fakereg.azurecr.io -u fakereg -p {_acr} && make push"), _acr)
_apim = _azure_sig(76, "APIM", 5, "apim", "w==")
case("azure-apim-key-postman", "azure", "azure.apim-identifiable-key",
     "postman/orders.postman_collection.json",
     json.dumps({"item": [{"name": "list orders", "request": {"method": "GET", "header": [
         {"key": "Ocp-Apim-Subscription-Key", "value": _apim}],
         "url": "https://fake.azure-api.net/orders"}}]}, indent=2), _apim)
_batch = _azure_sig(76, "+ABa", 5, "batch", "A==")
case("azure-batch-key", "azure", "azure.batch-identifiable-key", "jobs/submit.py",
     "from azure.batch import BatchServiceClient\nfrom azure.batch.batch_auth import "
     f"SharedKeyCredentials\ncreds = SharedKeyCredentials('fakebatch', '{_batch}')\n", _batch)
_eg = _azure_sig(33, "AZEG", 0, "eg", "") + "C" + _r(B64STD, 5, "eg-t") + "="
case("azure-event-grid-key", "azure", "azure.event-grid-key", "publisher/.env",
     dotenv(EVENTGRID_ENDPOINT="https://fake-topic.westeurope-1.eventgrid.azure.net/api/events",
            EVENTGRID_KEY=_eg), _eg)
_cask = _r(ALNUM, 52, "cask") + "JQQJ99BC" + _r(ALNUM, 12, "cask-m") + "AAABACOG" + _r(ALNUM, 4, "cask-t")
case("azure-openai-cask-notebook", "azure", "azure.common-annotated-key",
     "notebooks/rag-eval.ipynb",
     notebook("from openai import AzureOpenAI",
              'client = AzureOpenAI(azure_endpoint="https://fake-oai.openai.azure.com/",',
              f'                     api_key="{_cask}", api_version="2024-06-01")'), _cask)
_ado = _r(ALNUM, 52, "ado") + "JQQJ99BA" + _r(ALNUM, 12, "ado-m") + "AAAAAZDO" + _r(ALNUM, 4, "ado-t")
case("azure-devops-pat-git-url", "azure", "azure.devops-pat", "scripts/mirror.sh",
     f"git clone https://mirror:{_ado}@dev.azure.com/fake-org/platform/_git/api\n", _ado)
_ado_legacy = _r("abcdefghijklmnopqrstuvwxyz234567", 52, "ado-legacy")
case("azure-devops-pat-legacy-pipeline", "azure", "azure.devops-pat-legacy",
     "azure-pipelines.yml",
     f"variables:\n  AZURE_DEVOPS_EXT_PAT: {_ado_legacy}\nsteps:\n"
     "  - script: az devops configure --defaults organization=https://dev.azure.com/fake-org\n",
     _ado_legacy)
_entra = _r(ALNUM + "_~.-", 3, "entra") + "8Q~" + _r(ALNUM + "_~.-", 34, "entra-t")
case("azure-entra-secret-env", "azure", "azure.entra-client-secret", "api/.env",
     dotenv(AZURE_TENANT_ID=uuid4("tenant"), AZURE_CLIENT_ID=uuid4("client"),
            AZURE_CLIENT_SECRET=_entra), _entra)
_entra_legacy = _r(ALNUM + "_.-", 34, "entra-legacy")
case("azure-entra-secret-legacy-terraform-env", "azure", "azure.entra-client-secret-assigned",
     "ci/terraform.env",
     dotenv(ARM_TENANT_ID=uuid4("tenant2"), ARM_CLIENT_ID=uuid4("client2"),
            ARM_CLIENT_SECRET=_entra_legacy, ARM_SUBSCRIPTION_ID=uuid4("sub")), _entra_legacy)
_sas_sig = _r(ALNUM, 20, "sas") + "%2B" + _r(ALNUM, 14, "sas2") + "%2F" + _r(ALNUM, 6, "sas3") + "%3D"
case("azure-sas-yaml", "azure", "azure.sas-token", "pipelines/backup.yaml",
     "backup:\n  target: \"https://fakebackups.blob.core.windows.net/db?sv=2022-11-02&ss=b&srt=co"
     f"&sp=rwdlac&se=2031-01-01T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https&sig={_sas_sig}\"\n",
     _sas_sig)
_sas_sig2 = _r(ALNUM, 24, "sas-b") + "%2B" + _r(ALNUM, 16, "sas-b2") + "%3D"
case("azure-sas-web-config", "azure", "azure.sas-token", "src/Web/Web.config",
     '<configuration>\n  <appSettings>\n    <add key="Uploads" value="BlobEndpoint=https://fakeuploads'
     '.blob.core.windows.net/;SharedAccessSignature=sp=racwl&amp;st=2024-01-01T00:00:00Z&amp;'
     f'se=2030-01-01T00:00:00Z&amp;spr=https&amp;sv=2022-11-02&amp;sr=c&amp;sig={_sas_sig2}" />\n'
     '  </appSettings>\n</configuration>\n', _sas_sig2)
_pub = _r(ALNUM, 60, "publish")
case("azure-publish-profile", "azure", "azure.publish-profile-password",
     "deploy/fake-app.PublishSettings",
     '<publishData>\n  <publishProfile profileName="fake-app - Web Deploy" publishMethod="MSDeploy"'
     ' publishUrl="fake-app.scm.azurewebsites.net:443" msdeploySite="fake-app"'
     f' userName="$fake-app" userPWD="{_pub}" destinationAppUrl="https://fake-app.azurewebsites.net" />\n'
     '</publishData>\n', _pub)
_signalr = _b64key(43, "signalr", "=")
case("azure-signalr-connection", "azure", "azure.signalr-connection-string",
     "src/Hub/appsettings.json",
     json.dumps({"Azure": {"SignalR": {"ConnectionString": "Endpoint=https://fake-sr.service."
                                                           f"signalr.net;AccessKey={_signalr};Version=1.0;"}}}),
     _signalr)
_appcfg = _b64key(43, "appcfg", "=")
case("azure-app-configuration-connection", "azure", "azure.app-configuration-connection-string",
     ".env", dotenv(APP_CONFIG="Endpoint=https://fake-cfg.azconfig.io;Id=FAKE-l0-s0:"
                    f"{_r(ALNUM, 20, 'appcfg-id')};Secret={_appcfg}"), _appcfg)
_acs = _b64key(86, "acs", "==")
case("azure-communication-connection", "azure", "azure.communication-connection-string",
     "notify/settings.py",
     "ACS_CONNECTION_STRING = (\n    \"endpoint=https://fake-acs.communication.azure.com/;"
     f"accesskey={_acs}\"\n)\n", _acs)
_oai_hex = _r(HEX, 32, "oai-hex")
case("azure-openai-hex-key", "azure", "azure.openai-api-key", "rag/.env",
     dotenv(AZURE_OPENAI_ENDPOINT="https://fake-oai.openai.azure.com/",
            AZURE_OPENAI_API_KEY=_oai_hex, AZURE_OPENAI_DEPLOYMENT="gpt-4o"), _oai_hex)
_apim_hex = _r(HEX, 32, "apim-hex")
case("azure-apim-subscription-header-curl", "azure", "azure.apim-subscription-key",
     "docs/api.md",
     "```\ncurl https://fake.azure-api.net/orders/v1/orders \\\n"
     f"  -H 'Ocp-Apim-Subscription-Key: {_apim_hex}'\n```\n", _apim_hex)
_az_login = _r(ALNUM + "~.-_", 36, "az-login")
case("azure-cli-login-secret", "azure", "azure.cli-login-secret", "ci/deploy.sh",
     "#!/usr/bin/env bash\nset -euo pipefail\n"
     f"az login --service-principal -u {uuid4('sp')} -p {_az_login} --tenant fake.onmicrosoft.com\n"
     "az webapp deploy --name fake-app --src-path app.zip\n", _az_login)

# -- Cloudflare --------------------------------------------------------------------------------
_cfut = cloudflare_token("cfut_", "cfut")
_cfat = cloudflare_token("cfat_", "cfat")
_cfk = cloudflare_token("cfk_", "cfk")
case("cloudflare-user-token-workflow", "cloudflare", "cloudflare.api-token",
     ".github/workflows/pages.yml",
     workflow({"CLOUDFLARE_API_TOKEN": _cfut, "CLOUDFLARE_ACCOUNT_ID": _r(HEX, 32, "cfacct")},
              "npx wrangler pages deploy dist"), _cfut)
case("cloudflare-account-token-terraform", "cloudflare", "cloudflare.api-token",
     "dns/providers.tf", f'provider "cloudflare" {{\n  api_token = "{_cfat}"\n}}\n', _cfat)
case("cloudflare-global-key-env", "cloudflare", "cloudflare.global-api-key", ".env",
     dotenv(CLOUDFLARE_EMAIL="ops@fake.test", CLOUDFLARE_API_KEY=_cfk), _cfk)
_cf_global_legacy = _r(HEX, 37, "cf-global")
case("cloudflare-global-key-legacy-curl", "cloudflare", "cloudflare.global-api-key",
     "scripts/purge-cache.sh",
     "curl -X POST \"https://api.cloudflare.com/client/v4/zones/$ZONE/purge_cache\" \\\n"
     "  -H \"X-Auth-Email: ops@fake.test\" \\\n"
     f"  -H \"X-Auth-Key: {_cf_global_legacy}\" \\\n  --data '{{\"purge_everything\":true}}'\n",
     _cf_global_legacy)
_cf_legacy_token = _r(B64URL, 40, "cf-legacy-token")
case("cloudflare-legacy-token-env", "cloudflare", "cloudflare.api-token-legacy", ".dev.vars",
     dotenv(CLOUDFLARE_API_TOKEN=_cf_legacy_token), _cf_legacy_token)
_cfoat = "cfoat_" + _r(B64URL, 43, "cfoat")
case("cloudflare-wrangler-oauth", "cloudflare", "cloudflare.wrangler-oauth-token",
     "home/.wrangler/config/default.toml",
     f'oauth_token = "{_cfoat}"\nexpiration_time = "2030-01-01T00:00:00.000Z"\n'
     f'refresh_token = "{_r(B64URL, 43, "cf-refresh")}"\n', _cfoat)
_origin = "v1.0-" + _r(HEX, 24, "origin-a") + "-" + _r(HEX, 146, "origin-b")
case("cloudflare-origin-ca-key", "cloudflare", "cloudflare.origin-ca-key", "certs/.env",
     dotenv(CF_ORIGIN_CA_KEY=_origin), _origin)
_tunnel = b64(json.dumps({"a": _r(HEX, 32, "tun-a"), "t": uuid4("tun-t"),
                          "s": b64(_r(ALNUM, 32, "tun-s"))}, separators=(",", ":")))
case("cloudflare-tunnel-token-compose", "cloudflare", "cloudflare.tunnel-token",
     "docker-compose.yml",
     "services:\n  tunnel:\n    image: cloudflare/cloudflared:latest\n"
     f"    command: tunnel --no-autoupdate run --token {_tunnel}\n", _tunnel)
_r2 = _r(HEX, 64, "r2")
case("cloudflare-r2-secret-env", "cloudflare", "cloudflare.r2-secret-access-key", ".env",
     dotenv(R2_ENDPOINT=f"https://{_r(HEX, 32, 'r2acct')}.r2.cloudflarestorage.com",
            R2_ACCESS_KEY_ID=_r(HEX, 32, "r2id"), R2_SECRET_ACCESS_KEY=_r2), _r2)

# -- DigitalOcean, Alibaba, Tencent, IBM, Oracle -------------------------------------------
_dop = "dop_v1_" + _r(HEX, 64, "dop")
case("do-pat-doctl-config", "digitalocean", "digitalocean.personal-access-token",
     "home/.config/doctl/config.yaml", f"access-token: {_dop}\ncontext: default\n", _dop)
_doo = "doo_v1_" + _r(HEX, 64, "doo")
_dor = "dor_v1_" + _r(HEX, 64, "dor")
_oauth_resp = json.dumps({"access_token": _doo, "token_type": "bearer", "expires_in": 2592000,
                          "refresh_token": _dor, "scope": "read write"}, indent=2)
case("do-oauth-access-token", "digitalocean", "digitalocean.oauth-access-token",
     "tests/fixtures/do_oauth_response.json", _oauth_resp, _doo)
case("do-oauth-refresh-token", "digitalocean", "digitalocean.oauth-refresh-token",
     "tests/fixtures/do_oauth_response.json", _oauth_resp, _dor)
_spaces_id = "DO00" + _r(UPPER_ALNUM, 16, "spaces-id")
_spaces = _r(B64STD, 43, "spaces")
case("do-spaces-secret-env", "digitalocean", "digitalocean.spaces-secret-key", ".env",
     dotenv(SPACES_ENDPOINT="https://fra1.digitaloceanspaces.com", SPACES_ACCESS_KEY_ID=_spaces_id,
            SPACES_SECRET_ACCESS_KEY=_spaces), _spaces)
_ltai = "LTAI5t" + _r(ALNUM, 18, "ltai")
_ali_secret = _r(ALNUM, 30, "ali-secret")
case("alibaba-id-java", "alibaba", "alibaba.access-key-id", "src/main/java/fake/OssConfig.java",
     "public class OssConfig {\n"
     f"    static final String ACCESS_KEY_ID = \"{_ltai}\";\n"
     f"    static final String ACCESS_KEY_SECRET = \"{_ali_secret}\";\n}}\n", _ltai)
case("alibaba-secret-java", "alibaba", "alibaba.access-key-secret",
     "src/main/java/fake/OssConfig.java",
     "public class OssConfig {\n"
     f"    static final String ACCESS_KEY_ID = \"{_ltai}\";\n"
     f"    static final String ACCESS_KEY_SECRET = \"{_ali_secret}\";\n}}\n", _ali_secret)
_akid = "AKID" + _r(ALNUM, 32, "akid")
_tc_secret = _r(ALNUM, 32, "tc-secret")
case("tencent-id-python", "tencent", "tencent.secret-id", "cos/upload.py",
     "from qcloud_cos import CosConfig\n"
     f"config = CosConfig(Region='ap-guangzhou', SecretId='{_akid}', SecretKey='{_tc_secret}')\n",
     _akid)
case("tencent-secret-env", "tencent", "tencent.secret-key", ".env",
     dotenv(TENCENTCLOUD_SECRET_ID=_akid, TENCENTCLOUD_SECRET_KEY=_tc_secret), _tc_secret)
_ibm = _r(B64URL, 44, "ibm")
case("ibm-api-key-service-credentials", "ibm", "ibm.cloud-api-key", "config/cos-credentials.json",
     json.dumps({"apikey": _ibm, "endpoints": "https://control.cloud-object-storage.cloud.ibm.com/"
                 "v2/endpoints", "iam_apikey_description": "Auto-generated for key crn:v1:fake",
                 "iam_role_crn": "crn:v1:bluemix:public:iam::::serviceRole:Writer",
                 "resource_instance_id": "crn:v1:bluemix:public:cloud-object-storage:global:a/fake"},
                indent=2), _ibm)
_ibm2 = _r(B64URL, 44, "ibm2")
case("ibm-api-key-cli-login", "ibm", "ibm.cloud-api-key", "ci/ibm-deploy.sh",
     f"ibmcloud login --apikey {_ibm2} -r eu-de -g default\nibmcloud ce app update --name api\n",
     _ibm2)
_cos_secret = _r(HEX, 48, "cos-secret")
case("ibm-cos-hmac", "ibm", "ibm.cos-hmac-secret", "config/cos-hmac.json",
     json.dumps({"cos_hmac_keys": {"access_key_id": _r(HEX, 32, "cos-id"),
                                   "secret_access_key": _cos_secret}}, indent=2), _cos_secret)
_oci_pass = "FAKE-" + _r(ALNUM, 18, "oci-pass")
case("oracle-oci-config-pass-phrase", "oracle", "oracle.oci-api-key-passphrase", "home/.oci/config",
     f"[DEFAULT]\nuser=ocid1.user.oc1..aaaaaaaa{_r(LOWER_ALNUM, 52, 'ocid-u')}\n"
     "fingerprint=" + ":".join(_r(HEX, 2, f"fp{i}") for i in range(16)) + "\n"
     "key_file=~/.oci/oci_api_key.pem\n"
     f"tenancy=ocid1.tenancy.oc1..aaaaaaaa{_r(LOWER_ALNUM, 52, 'ocid-t')}\nregion=eu-frankfurt-1\n"
     f"pass_phrase={_oci_pass}\n", _oci_pass)
_oci_token = _r(ALNUM + "()[]{}:;<>.", 20, "oci-token").replace('"', "x")
case("oracle-auth-token-ocir-login", "oracle", "oracle.oci-auth-token", "ci/push-image.sh",
     f"docker login fra.ocir.io -u 'fakens/oracleidentitycloudservice/ci@fake.test' -p '{_oci_token}'\n"
     "docker push fra.ocir.io/fakens/api:latest\n", _oci_token)
_oci_csk = _b64key(43, "oci-csk", "=")
case("oracle-customer-secret-key", "oracle", "oracle.oci-customer-secret-key", "backup/rclone.conf",
     "[oci]\ntype = s3\nprovider = Other\nendpoint = https://fakens.compat.objectstorage."
     f"eu-frankfurt-1.oraclecloud.com\naccess_key_id = {_r(HEX, 40, 'oci-csk-id')}\n"
     f"secret_access_key = {_oci_csk}\n", _oci_csk)

# -- Application platforms -----------------------------------------------------------------
_hrku = "HRKU-AA" + _r(B64URL, 58, "hrku")
case("heroku-hrku-env", "heroku", "heroku.api-key", ".env", dotenv(HEROKU_API_KEY=_hrku), _hrku)
_heroku_uuid = uuid4("heroku")
case("heroku-legacy-travis", "heroku", "heroku.api-key-legacy", ".travis.yml",
     "language: python\ndeploy:\n  provider: heroku\n"
     f"  api_key: {_heroku_uuid}\n  app: fake-app\n".replace("api_key:", "heroku_api_key:"),
     _heroku_uuid)
_fly = "fm2_lJPE" + _r(B64STD, 300, "fly") + "," + "fm2_lJPE" + _r(B64STD, 120, "fly2")
case("fly-macaroon-workflow", "fly", "fly.macaroon-token", ".github/workflows/fly.yml",
     workflow({"FLY_API_TOKEN": f'"FlyV1 {_fly}"'}, "flyctl deploy --remote-only"), _fly)
_fo1 = "fo1_" + _r(B64URL, 43, "fo1")
case("fly-oauth-env", "fly", "fly.oauth-token", ".env", dotenv(FLY_ACCESS_TOKEN=_fo1), _fo1)
_fly_legacy = _r(B64URL, 43, "fly-legacy")
case("fly-legacy-token", "fly", "fly.api-token-legacy", "Makefile",
     f"FLY_API_TOKEN={_fly_legacy}\n\ndeploy:\n\tflyctl deploy\n", _fly_legacy)
_vcp = "vcp_" + _r(ALNUM, 56, "vcp")
case("vercel-token-env", "vercel", "vercel.token", ".env.local", dotenv(VERCEL_TOKEN=_vcp), _vcp)
_vercel_legacy = _r(ALNUM, 24, "vercel-legacy")
case("vercel-legacy-ci", "vercel", "vercel.token-legacy", ".gitlab-ci.yml",
     "deploy:\n  script:\n"
     f"    - npx vercel deploy --prod --token {_vercel_legacy}\n", _vercel_legacy)
_nfp = "nfp_" + _r(ALNUM, 36, "nfp")
case("netlify-token-cli-config", "netlify", "netlify.token", "home/.config/netlify/config.json",
     json.dumps({"userId": _r(HEX, 24, "nf-user"), "users": {_r(HEX, 24, "nf-user"): {
         "auth": {"token": _nfp, "github": {}}}}}, indent=2), _nfp)
_netlify_legacy = _r(B64URL, 43, "netlify-legacy")
case("netlify-legacy-env", "netlify", "netlify.token-legacy", ".env",
     dotenv(NETLIFY_AUTH_TOKEN=_netlify_legacy, NETLIFY_SITE_ID=uuid4("site")), _netlify_legacy)
_sbp = "sbp_" + _r(HEX, 40, "sbp")
case("supabase-pat-workflow", "supabase", "supabase.personal-access-token",
     ".github/workflows/migrations.yml",
     workflow({"SUPABASE_ACCESS_TOKEN": _sbp, "SUPABASE_DB_PASSWORD": "${{ secrets.DB_PASSWORD }}"},
              "supabase db push"), _sbp)
_sb_secret = "sb_secret_" + _r(B64URL, 22, "sbs") + "_" + _r(ALNUM, 8, "sbs-c")
case("supabase-secret-key-env", "supabase", "supabase.secret-key", "server/.env",
     dotenv(SUPABASE_URL="https://fakeref.supabase.co", SUPABASE_SECRET_KEY=_sb_secret), _sb_secret)


def _jwt(payload: dict) -> str:
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"})).rstrip("=").replace("+", "-").replace("/", "_")
    body = b64(json.dumps(payload)).rstrip("=").replace("+", "-").replace("/", "_")
    return f"{header}.{body}.{_r(B64URL, 43, json.dumps(payload))}"


_service_role = _jwt({"iss": "supabase", "ref": _r(LOWER_ALNUM, 20, "sbref"), "role": "service_role",
                      "iat": 1700000000, "exp": 2000000000})
case("supabase-service-role-env", "supabase", "supabase.service-role-key", ".env.local",
     dotenv(NEXT_PUBLIC_SUPABASE_URL="https://fakeref.supabase.co",
            SUPABASE_SERVICE_ROLE_KEY=_service_role), _service_role)
_dapi = "dapi" + _r(HEX, 32, "dapi")
case("databricks-pat-databrickscfg", "databricks", "databricks.personal-access-token",
     "home/.databrickscfg",
     f"[DEFAULT]\nhost  = https://fake.cloud.databricks.com\ntoken = {_dapi}\n", _dapi)
_dose = "dose" + _r(HEX, 32, "dose")
case("databricks-oauth-secret-env", "databricks", "databricks.oauth-secret", ".env",
     dotenv(DATABRICKS_HOST="https://fake.cloud.databricks.com",
            DATABRICKS_CLIENT_ID=uuid4("dbx"), DATABRICKS_CLIENT_SECRET=_dose), _dose)
_sf_pw = "FAKE" + _r(ALNUM + "!%*", 16, "sf")
case("snowflake-sqlalchemy-url", "snowflake", "snowflake.connection-url", "etl/load.py",
     "from sqlalchemy import create_engine\n"
     f"engine = create_engine('snowflake://loader:{_sf_pw}@fake-acct.eu-central-1/RAW/PUBLIC"
     "?warehouse=LOAD_WH&role=LOADER')\n", _sf_pw)
case("snowflake-jdbc", "snowflake", "snowflake.jdbc-password", "conf/spark-defaults.conf",
     "spark.snowflake.url jdbc:snowflake://fake-acct.snowflakecomputing.com/?user=spark"
     f"&password={_sf_pw}&warehouse=SPARK_WH\n", _sf_pw)
case("snowflake-connector-notebook", "snowflake", "snowflake.password",
     "notebooks/revenue.ipynb",
     notebook("import snowflake.connector",
              f'conn = snowflake.connector.connect(user="analyst", password="{_sf_pw}",',
              '                                   account="fake-acct", warehouse="BI_WH")'), _sf_pw)
case("snowflake-password-env", "snowflake", "snowflake.password", "dbt/.env",
     dotenv(SNOWFLAKE_ACCOUNT="fake-acct", SNOWFLAKE_USER="dbt", SNOWFLAKE_PASSWORD=_sf_pw), _sf_pw)

# -- Other clouds and data platforms ---------------------------------------------------------
_linode = _r(HEX, 64, "linode")
case("linode-token-env", "linode", "linode.personal-access-token", ".env",
     dotenv(LINODE_TOKEN=_linode), _linode)
_edgegrid = _b64key(43, "edgegrid", "=")
case("akamai-edgerc", "akamai", "akamai.edgegrid-client-secret", "home/.edgerc",
     f"[default]\nclient_secret = {_edgegrid}\n"
     f"host = akab-{_r(LOWER_ALNUM, 16, 'akh1')}-{_r(LOWER_ALNUM, 16, 'akh2')}.luna.akamaiapis.net\n"
     f"access_token = akab-{_r(LOWER_ALNUM, 16, 'aka1')}-{_r(LOWER_ALNUM, 16, 'aka2')}\n"
     f"client_token = akab-{_r(LOWER_ALNUM, 16, 'akc1')}-{_r(LOWER_ALNUM, 16, 'akc2')}\n", _edgegrid)
_scw_secret = uuid4("scw")
case("scaleway-profile", "scaleway", "scaleway.secret-key", "home/.config/scw/config.yaml",
     f"access_key: SCW{_r(UPPER_ALNUM, 17, 'scw-id')}\nsecret_key: {_scw_secret}\n"
     f"default_organization_id: {uuid4('scw-org')}\ndefault_region: fr-par\n", _scw_secret)
_hcloud = _r(ALNUM, 64, "hcloud")
case("hetzner-terraform", "hetzner", "hetzner.cloud-api-token", "infra/hcloud.tf",
     f'provider "hcloud" {{\n  token = "{_hcloud}"\n}}\n', _hcloud)
_vultr = _r(UPPER_ALNUM, 36, "vultr")
case("vultr-env", "vultr", "vultr.api-key", ".env", dotenv(VULTR_API_KEY=_vultr), _vultr)
_rnd = "rnd_" + _r(ALNUM, 32, "rnd")
case("render-api-key-script", "render", "render.api-key", "scripts/deploy-hook.sh",
     f"curl -H 'Authorization: Bearer {_rnd}' https://api.render.com/v1/services\n", _rnd)
_pscale_tkn = "pscale_tkn_" + _r(B64URL, 43, "pscale")
case("planetscale-service-token-env", "planetscale", "planetscale.service-token", ".env",
     dotenv(PLANETSCALE_SERVICE_TOKEN_ID=_r(LOWER_ALNUM, 12, "ps-id"),
            PLANETSCALE_SERVICE_TOKEN=_pscale_tkn), _pscale_tkn)
_pscale_pw = "pscale_pw_" + _r(B64URL, 43, "pscale-pw")
case("planetscale-password-url", "planetscale", "planetscale.database-password", ".env",
     dotenv(DATABASE_URL=f"mysql://{_r(LOWER_ALNUM, 12, 'ps-u')}:{_pscale_pw}@aws.connect.psdb.cloud"
            "/app?sslaccept=strict"), _pscale_pw)
_napi = "napi_" + _r(LOWER_ALNUM, 64, "napi")
case("neon-api-key-workflow", "neon", "neon.api-key", ".github/workflows/preview.yml",
     workflow({"NEON_API_KEY": _napi, "NEON_PROJECT_ID": "fake-project-123"},
              "neonctl branches create --name preview"), _napi)
_mdb = "mdb_sa_sk_" + _r(B64URL, 40, "mdb")
case("mongodb-atlas-sa-secret", "mongodb", "mongodb.atlas-service-account-secret", ".env",
     dotenv(ATLAS_CLIENT_ID="mdb_sa_id_" + _r(HEX, 24, "mdb-id"), ATLAS_CLIENT_SECRET=_mdb), _mdb)
_atlas_pk = uuid4("atlas-pk")
case("mongodb-atlas-private-key-tfvars", "mongodb", "mongodb.atlas-api-private-key",
     "infra/atlas.auto.tfvars",
     f'mongodb_atlas_public_key  = "{_r(LOWER_ALNUM, 8, "atlas-pub")}"\n'
     f'mongodb_atlas_private_key = "{_atlas_pk}"\n', _atlas_pk)
_b2 = "K005" + _r(B64STD, 27, "b2")
case("backblaze-b2-env", "backblaze", "backblaze.b2-application-key", "backup/.env",
     dotenv(B2_APPLICATION_KEY_ID="0051" + _r(HEX, 21, "b2-id"), B2_APPLICATION_KEY=_b2), _b2)
case("gcp-api-key-in-k8s-secret-data", "gcp", "gcp.api-key", "k8s/maps-secret.yaml",
     k8s_secret("maps", {"GOOGLE_MAPS_API_KEY": _aiza2}), _aiza2)
