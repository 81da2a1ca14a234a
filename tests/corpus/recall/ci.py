"""Recall cases for CI/CD, package registries and secrets managers.

Publishing tokens leak through .npmrc, .pypirc, gem credentials, NuGet.Config and CI files;
CI and secrets-manager tokens through pipeline configs, Terraform and shell history.
"""

from __future__ import annotations

from tests.corpus.recall import RecallCase
from tests.corpus.recall import _tokens as T
from tests.corpus.recall.gen import ALNUM, B64, B64URL, HEX, LOWER_ALNUM, UPPER_ALNUM, rand

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _uuid(seed: object) -> str:
    h = rand(HEX, 32, seed)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


_npm = T.crc_token("npm_", "ci-npm")
_pypi = T.pypi_token("ci-pypi")
_testpypi = T.pypi_token("ci-testpypi", "test.pypi.org")
_rubygems = "rubygems_" + rand(HEX, 48, "ci-rubygems")
_nuget = "oy2" + rand(LOWER_ALNUM, 43, "ci-nuget")
_dckr_pat = "dckr_pat_" + rand(B64URL, 27, "ci-dckr-pat")
_dckr_oat = "dckr_oat_" + rand(B64URL, 32, "ci-dckr-oat")
_akcp = "AKCp" + rand(_BASE58, 69, "ci-akcp")
_jfrog_ref = T.jfrog_reference("ci-jfrog-ref")
_jfrog_jwt = T.jfrog_access("ci-jfrog-jwt")
_cio = "cio" + rand(ALNUM, 32, "ci-cio")
_clojars = "CLOJARS_" + rand(LOWER_ALNUM, 60, "ci-clojars")
_gradle = rand(ALNUM, 32, "ci-gradle")

_ccipat = f"CCIPAT_{rand(ALNUM, 22, 'ci-ccipat1')}_{rand(HEX, 40, 'ci-ccipat2')}"
_cciprj = f"CCIPRJ_{rand(ALNUM, 22, 'ci-cciprj1')}_{rand(HEX, 40, 'ci-cciprj2')}"
_circle_legacy = rand(HEX, 40, "ci-circle-legacy")
_travis = rand(B64URL, 22, "ci-travis")
_tfc = f"{rand(ALNUM, 14, 'ci-tfc1')}.atlasv1.{rand(B64URL, 67, 'ci-tfc2')}"
_pulumi = "pul-" + rand(HEX, 40, "ci-pulumi")
_bkua = "bkua_" + rand(HEX, 40, "ci-bkua")
_teamcity = f"eyJ0eXAiOiAiVENWMiJ9.{rand(B64URL, 36, 'ci-tc1')}.{rand(B64URL, 48, 'ci-tc2')}"
_octopus = "API-" + rand(UPPER_ALNUM, 27, "ci-octopus")
_jenkins = "11" + rand(HEX, 32, "ci-jenkins")
_sonar = "sqp_" + rand(HEX, 40, "ci-sonar")
_snyk = _uuid("ci-snyk")
_codecov = _uuid("ci-codecov")
_harness = f"pat.{rand(B64URL, 22, 'ci-h1')}.{rand(HEX, 24, 'ci-h2')}.{rand(ALNUM, 20, 'ci-h3')}"

_hvs = "hvs.CAESI" + rand(B64URL, 86, "ci-hvs")
_hvb = "hvb.AAAAAQ" + rand(B64URL, 150, "ci-hvb")
_hvr = "hvr." + rand(B64URL, 26, "ci-hvr")
_vault_legacy = "s." + rand(ALNUM, 24, "ci-vault-s")
_unseal = rand(B64, 43, "ci-unseal") + "="
_consul = _uuid("ci-consul")
_hcp = rand(B64URL, 64, "ci-hcp")
_doppler = "dp.st.prd." + rand(ALNUM, 43, "ci-doppler")
_doppler_pt = "dp.pt." + rand(ALNUM, 43, "ci-doppler-pt")
_ops = "ops_" + T.b64('{"signInAddress":"acme.1password.com","email":"ci@acme.test","srpX":"'
                      + rand(HEX, 64, "ci-ops") + '","muk":{"k":"' + rand(B64URL, 43, "ci-ops2")
                      + '"}}')
_a3 = (f"A3-{rand(UPPER_ALNUM, 6, 'a1')}-{rand(UPPER_ALNUM, 6, 'a2')}-{rand(UPPER_ALNUM, 5, 'a3')}"
       f"-{rand(UPPER_ALNUM, 5, 'a4')}-{rand(UPPER_ALNUM, 5, 'a5')}-{rand(UPPER_ALNUM, 5, 'a6')}")

CASES = [
    # package registries
    RecallCase("npm-token-in-npmrc", "npm", "npm.access-token", ".npmrc",
               f"registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken={_npm}\n",
               _npm),
    RecallCase("npm-token-in-yarnrc", "npm", "npm.access-token", ".yarnrc.yml",
               f'npmRegistries:\n  "https://registry.npmjs.org":\n    npmAuthToken: "{_npm}"\n',
               _npm),
    RecallCase("pypi-token-in-pypirc", "pypi", "pypi.api-token", ".pypirc",
               f"[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\npassword = {_pypi}\n",
               _pypi),
    RecallCase("pypi-token-in-workflow", "pypi", "pypi.api-token", ".github/workflows/publish.yml",
               f"      - run: twine upload dist/*\n        env:\n          TWINE_PASSWORD: {_pypi}\n",
               _pypi),
    RecallCase("testpypi-token-in-makefile", "pypi", "pypi.test-api-token", "Makefile",
               f"publish-test:\n\ttwine upload -r testpypi -p {_testpypi} dist/*\n", _testpypi),
    RecallCase("rubygems-key-in-credentials", "rubygems", "rubygems.api-key",
               ".gem/credentials", f"---\n:rubygems_api_key: {_rubygems}\n", _rubygems),
    RecallCase("rubygems-key-in-env", "rubygems", "rubygems.api-key", ".env",
               f"GEM_HOST_API_KEY={_rubygems}\n", _rubygems),
    RecallCase("nuget-key-in-nuget-config", "nuget", "nuget.api-key", "NuGet.Config",
               "<configuration>\n  <apikeys>\n"
               f'    <add key="https://www.nuget.org/api/v2" value="{_nuget}" />\n'
               "  </apikeys>\n</configuration>\n", _nuget),
    RecallCase("nuget-key-in-cake-script", "nuget", "nuget.api-key", "build.cake",
               f'NuGetPush(package, new NuGetPushSettings {{ ApiKey = "{_nuget}" }});\n', _nuget),
    RecallCase("dockerhub-pat-in-workflow", "dockerhub", "dockerhub.personal-access-token",
               ".github/workflows/docker.yml",
               "      - uses: docker/login-action@v3\n        with:\n          username: acme\n"
               f"          password: {_dckr_pat}\n", _dckr_pat),
    RecallCase("dockerhub-oat-in-shell", "dockerhub", "dockerhub.organization-access-token",
               "scripts/push.sh", f"echo '{_dckr_oat}' | docker login -u acme --password-stdin\n",
               _dckr_oat),
    RecallCase("jfrog-api-key-in-gradle", "jfrog", "jfrog.api-key", "gradle.properties",
               f"artifactory_user=ci\nartifactory_password={_akcp}\n", _akcp),
    RecallCase("jfrog-reference-token-in-pip-conf", "jfrog", "jfrog.reference-token",
               "pip.conf",
               "[global]\nindex-url = https://ci:"
               f"{_jfrog_ref}@acme.jfrog.io/artifactory/api/pypi/pypi/simple\n", _jfrog_ref),
    RecallCase("jfrog-access-token-in-settings-xml", "jfrog", "jfrog.access-token",
               ".m2/settings.xml",
               "<servers>\n  <server>\n    <id>artifactory</id>\n    <username>ci</username>\n"
               f"    <password>{_jfrog_jwt}</password>\n  </server>\n</servers>\n", _jfrog_jwt),
    RecallCase("crates-token-in-cargo-credentials", "crates-io", "crates-io.api-token",
               ".cargo/credentials.toml", f'[registry]\ntoken = "{_cio}"\n', _cio),
    RecallCase("clojars-token-in-lein-profile", "clojars", "clojars.deploy-token",
               "profiles.clj",
               '{:auth {:repository-auth {#"clojars" {:username "acme" :password "'
               + _clojars + '"}}}}\n', _clojars),
    RecallCase("gradle-publish-secret", "gradle", "gradle.plugin-portal-secret",
               "gradle.properties", f"gradle.publish.key=abc\ngradle.publish.secret={_gradle}\n",
               _gradle),
    # CI/CD
    RecallCase("circleci-pat-in-shell", "circleci", "circleci.personal-api-token",
               "scripts/trigger.sh",
               f'curl -X POST -H "Circle-Token: {_ccipat}" '
               "https://circleci.com/api/v2/project/gh/acme/app/pipeline\n", _ccipat),
    RecallCase("circleci-project-token-in-env", "circleci", "circleci.project-api-token",
               ".env", f"CIRCLE_PROJECT_TOKEN={_cciprj}\n", _cciprj),
    RecallCase("circleci-legacy-token-in-config", "circleci", "circleci.legacy-api-token",
               "tools/ci.ini", f"[circleci]\ncircleci_token = {_circle_legacy}\n", _circle_legacy),
    RecallCase("travis-token-in-shell", "travis", "travis.api-token", "scripts/restart.sh",
               f'curl -H "Authorization: token {_travis}" https://api.travis-ci.com/repo/1/requests\n',
               _travis),
    RecallCase("terraform-cloud-token-in-terraformrc", "terraform", "terraform.cloud-api-token",
               ".terraformrc", f'credentials "app.terraform.io" {{\n  token = "{_tfc}"\n}}\n', _tfc),
    RecallCase("terraform-cloud-token-in-workflow", "terraform", "terraform.cloud-api-token",
               ".github/workflows/tf.yml", f"env:\n  TF_API_TOKEN: {_tfc}\n", _tfc),
    RecallCase("pulumi-token-in-compose", "pulumi", "pulumi.access-token", "docker-compose.yml",
               f"services:\n  deploy:\n    environment:\n      PULUMI_ACCESS_TOKEN: {_pulumi}\n",
               _pulumi),
    RecallCase("buildkite-token-in-terraform", "buildkite", "buildkite.api-token",
               "infra/buildkite.tf", f'provider "buildkite" {{\n  api_token = "{_bkua}"\n}}\n',
               _bkua),
    RecallCase("teamcity-token-in-kotlin-dsl", "teamcity", "teamcity.access-token",
               ".teamcity/settings.kts", f'val token = "{_teamcity}"\n', _teamcity),
    RecallCase("octopus-key-in-powershell", "octopus", "octopus.api-key", "deploy/release.ps1",
               '$octopusURL = "https://acme.octopus.app"\n'
               f'$header = @{{ "X-Octopus-ApiKey" = "{_octopus}" }}\n', _octopus),
    RecallCase("jenkins-token-in-groovy", "jenkins", "jenkins.api-token", "tools/jobs.groovy",
               f'def jenkinsApiToken = "{_jenkins}"\n', _jenkins),
    RecallCase("sonar-token-in-properties", "sonarqube", "sonarqube.token",
               "sonar-project.properties",
               f"sonar.projectKey=acme_app\nsonar.token={_sonar}\n", _sonar),
    RecallCase("snyk-token-in-env", "snyk", "snyk.api-token", ".env", f"SNYK_TOKEN={_snyk}\n",
               _snyk),
    RecallCase("codecov-token-in-workflow", "codecov", "codecov.upload-token",
               ".github/workflows/test.yml",
               "      - uses: codecov/codecov-action@v4\n        with:\n"
               f"          codecov_token: {_codecov}\n", _codecov),
    RecallCase("harness-key-in-shell", "harness", "harness.api-token", "scripts/harness.sh",
               f'curl -H "x-api-key: {_harness}" https://app.harness.io/ng/api/projects\n',
               _harness),
    # secrets managers
    RecallCase("vault-token-in-env", "vault", "vault.service-token", ".envrc",
               f"export VAULT_ADDR=https://vault.acme.internal:8200\nexport VAULT_TOKEN={_hvs}\n",
               _hvs),
    RecallCase("vault-token-in-k8s", "vault", "vault.service-token", "k8s/app.yaml",
               "env:\n  - name: VAULT_TOKEN\n" f"    value: {_hvs}\n", _hvs),
    RecallCase("vault-batch-token-in-json", "vault", "vault.batch-token", "tmp/login.json",
               f'{{"auth": {{"client_token": "{_hvb}", "renewable": false}}}}\n', _hvb),
    RecallCase("vault-recovery-token", "vault", "vault.recovery-token", "runbook/recovery.md",
               f"Recovery token generated: {_hvr}\n", _hvr),
    RecallCase("vault-legacy-token-in-curl", "vault", "vault.legacy-token", "scripts/read.sh",
               f'curl -H "X-Vault-Token: {_vault_legacy}" '
               "https://vault.acme.internal:8200/v1/secret/data/app\n", _vault_legacy),
    RecallCase("vault-unseal-key-in-notes", "vault", "vault.unseal-key", "ops/init-output.txt",
               f"Unseal Key 1: {_unseal}\n", _unseal),
    RecallCase("consul-token-in-hcl", "consul", "consul.acl-token", "consul/agent.hcl",
               f'acl {{\n  tokens {{\n    agent = "x"\n  }}\n}}\nconsul_token = "{_consul}"\n',
               _consul),
    RecallCase("hcp-secret-in-env", "hcp", "hcp.client-secret", ".env",
               f"HCP_CLIENT_ID=abc\nHCP_CLIENT_SECRET={_hcp}\n", _hcp),
    RecallCase("doppler-service-token-in-dockerfile", "doppler", "doppler.token", "Dockerfile",
               f"FROM node:20\nENV DOPPLER_TOKEN={_doppler}\n", _doppler),
    RecallCase("doppler-personal-token-in-shell", "doppler", "doppler.token",
               "scripts/setup.sh", f"doppler configure set token {_doppler_pt}\n", _doppler_pt),
    RecallCase("1password-sa-token-in-env", "1password", "onepassword.service-account-token",
               ".env", f"OP_SERVICE_ACCOUNT_TOKEN={_ops}\n", _ops),
    RecallCase("1password-secret-key-in-notes", "1password", "onepassword.secret-key",
               "notes/onboarding.txt", f"Emergency kit secret key: {_a3}\n", _a3),
]
