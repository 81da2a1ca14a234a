"""Recall cases for source hosting: GitHub, GitLab, Bitbucket, Atlassian, Azure DevOps and peers.

Secrets sit where they really leak: CI configs, .env files, git remotes and credential helpers,
shell scripts, notebooks, Terraform and Kubernetes manifests.
"""

from __future__ import annotations

from tests.corpus.recall import RecallCase
from tests.corpus.recall import _tokens as T
from tests.corpus.recall.gen import ALNUM, B64URL, HEX, rand

_ghp = T.crc_token("ghp_", "vcs-ghp")
_gho = T.crc_token("gho_", "vcs-gho")
_ghu = T.crc_token("ghu_", "vcs-ghu")
_ghs = T.crc_token("ghs_", "vcs-ghs")
_ghs_jwt = T.github_stateless("vcs-ghs-jwt")
_ghr = "ghr_" + rand(ALNUM, 76, "vcs-ghr")
_gh_fine = f"github_pat_11{rand(ALNUM, 20, 'vcs-fg1')}_{rand(ALNUM, 59, 'vcs-fg2')}"
_gh_legacy = rand(HEX, 40, "vcs-gh-legacy")
_gh_client_secret = rand(HEX, 40, "vcs-gh-client")

_glpat = "glpat-" + rand(B64URL, 20, "vcs-glpat")
_glpat_routable = T.gitlab_routable("glpat-", "vcs-glpat-r")
_glpat_instance = T.gitlab_routable("acme-glpat-", "vcs-glpat-i", versioned=False)
_glrt = T.gitlab_routable("glrt-t2_", "vcs-glrt")
_glrt_legacy = "glrt-" + rand(B64URL, 20, "vcs-glrt-legacy")
_gr = "GR1348941" + rand(B64URL, 20, "vcs-gr")
_gldt = "gldt-" + rand(B64URL, 20, "vcs-gldt")
_gloas = "gloas-" + rand(HEX, 64, "vcs-gloas")
_glcbt = "glcbt-64_" + rand(B64URL, 20, "vcs-glcbt")
_glptt = "glptt-" + rand(HEX, 40, "vcs-glptt")
_glft = "glft-" + rand(B64URL, 20, "vcs-glft")
_glimt = "glimt-" + rand(B64URL, 25, "vcs-glimt")
_glagent = "glagent-" + rand(B64URL, 50, "vcs-glagent")
_glsoat = "glsoat-" + rand(B64URL, 20, "vcs-glsoat")
_glffct = "glffct-" + rand(B64URL, 20, "vcs-glffct")
_glsession = rand(HEX, 32, "vcs-glsession")

_atbb = T.atbb("vcs-atbb")
_atctt = T.atlassian("ATCTT3xFfGN0", "vcs-atctt")
_bbdc = T.atlassian_dc("vcs-bbdc", bitbucket=True)
_bb_secret = rand(ALNUM, 32, "vcs-bb-secret")
_atatt = T.atlassian("ATATT3xFfGF0", "vcs-atatt")
_jira_dc = T.atlassian_dc("vcs-jira-dc")

_azdo = rand(ALNUM, 76, "vcs-azdo") + "AZDO" + rand(ALNUM, 4, "vcs-azdo-tail")
_azdo_legacy = rand("abcdefghijklmnopqrstuvwxyz234567", 52, "vcs-azdo-legacy")
_sgp = f"sgp_{rand(HEX, 16, 'vcs-sgp1')}_{rand(HEX, 40, 'vcs-sgp2')}"
_gitea = rand(HEX, 40, "vcs-gitea")

CASES = [
    # GitHub
    RecallCase("github-pat-in-git-credentials", "github", "github.pat-classic",
               ".git-credentials", f"https://jdoe:{_ghp}@github.com\n", _ghp),
    RecallCase("github-oauth-in-gh-hosts", "github", "github.oauth-app-token",
               ".config/gh/hosts.yml",
               f"github.com:\n    user: jdoe\n    oauth_token: {_gho}\n    git_protocol: https\n",
               _gho),
    RecallCase("github-user-token-in-json", "github", "github.user-to-server-token",
               "fixtures/oauth_response.json",
               f'{{"access_token": "{_ghu}", "expires_in": 28800, "token_type": "bearer"}}\n',
               _ghu),
    RecallCase("github-installation-token-in-remote", "github", "github.installation-token",
               "scripts/mirror.sh",
               f"#!/bin/sh\ngit remote add mirror https://x-access-token:{_ghs}@github.com/acme/app.git\n",
               _ghs),
    RecallCase("github-stateless-token-in-log", "github", "github.installation-token-stateless",
               "ci/debug.log", f"2026-05-02T10:00:00Z GITHUB_TOKEN={_ghs_jwt}\n", _ghs_jwt),
    RecallCase("github-refresh-token-in-notebook", "github", "github.refresh-token",
               "notebooks/auth.ipynb",
               '{"cells": [{"cell_type": "code", "source": ["refresh_token = \\"'
               + _ghr + '\\"\\n"]}], "nbformat": 4}\n', _ghr),
    RecallCase("github-fine-grained-in-workflow", "github", "github.fine-grained-pat",
               ".github/workflows/release.yml",
               f"jobs:\n  release:\n    env:\n      GH_TOKEN: {_gh_fine}\n", _gh_fine),
    RecallCase("github-legacy-token-in-env", "github", "github.legacy-token", ".env",
               f"GITHUB_TOKEN={_gh_legacy}\n", _gh_legacy),
    RecallCase("github-client-secret-in-settings", "github", "github.oauth-client-secret",
               "config/settings.py", f'GITHUB_CLIENT_SECRET = "{_gh_client_secret}"\n',
               _gh_client_secret),
    # GitLab
    RecallCase("gitlab-pat-in-npmrc", "gitlab", "gitlab.personal-access-token", ".npmrc",
               f"@acme:registry=https://gitlab.com/api/v4/packages/npm/\n"
               f"//gitlab.com/api/v4/packages/npm/:_authToken={_glpat}\n", _glpat),
    RecallCase("gitlab-routable-pat-in-curl", "gitlab", "gitlab.personal-access-token-routable",
               "scripts/issues.sh",
               f'curl --header "PRIVATE-TOKEN: {_glpat_routable}" '
               "https://gitlab.com/api/v4/projects\n", _glpat_routable),
    RecallCase("gitlab-instance-prefixed-pat-in-env", "gitlab",
               "gitlab.personal-access-token-routable", "deploy/.env",
               f"GITLAB_TOKEN={_glpat_instance}\n", _glpat_instance),
    RecallCase("gitlab-runner-token-in-config-toml", "gitlab",
               "gitlab.runner-authentication-token", "runner/config.toml",
               f'[[runners]]\n  name = "docker"\n  url = "https://gitlab.com"\n  token = "{_glrt}"\n',
               _glrt),
    RecallCase("gitlab-legacy-runner-token-in-helm", "gitlab",
               "gitlab.runner-authentication-token", "charts/runner/values.yaml",
               f"gitlabUrl: https://gitlab.com/\nrunnerToken: \"{_glrt_legacy}\"\n", _glrt_legacy),
    RecallCase("gitlab-registration-token-in-compose", "gitlab",
               "gitlab.runner-registration-token", "docker-compose.yml",
               "services:\n  runner:\n    image: gitlab/gitlab-runner\n    environment:\n"
               f"      - REGISTRATION_TOKEN={_gr}\n", _gr),
    RecallCase("gitlab-deploy-token-in-k8s-secret", "gitlab", "gitlab.deploy-token",
               "k8s/registry-secret.yaml",
               "apiVersion: v1\nkind: Secret\nmetadata:\n  name: gitlab-registry\nstringData:\n"
               f"  username: gitlab+deploy-token-42\n  password: {_gldt}\n", _gldt),
    RecallCase("gitlab-oauth-secret-in-omniauth", "gitlab", "gitlab.oauth-application-secret",
               "config/initializers/omniauth.rb",
               f"config.omniauth :gitlab, 'abc123', '{_gloas}'\n", _gloas),
    RecallCase("gitlab-job-token-in-log", "gitlab", "gitlab.ci-job-token", "logs/job.log",
               f"$ echo $CI_JOB_TOKEN\n{_glcbt}\n", _glcbt),
    RecallCase("gitlab-trigger-token-in-ci", "gitlab", "gitlab.pipeline-trigger-token",
               ".gitlab-ci.yml",
               "trigger_downstream:\n  script:\n    - >\n      curl -X POST\n"
               f"      -F token={_glptt}\n      -F ref=main\n"
               "      https://gitlab.com/api/v4/projects/42/trigger/pipeline\n", _glptt),
    RecallCase("gitlab-feed-token-in-readme", "gitlab", "gitlab.feed-token", "docs/feeds.md",
               f"Subscribe: https://gitlab.com/acme.atom?feed_token={_glft}\n", _glft),
    RecallCase("gitlab-mail-token-in-config", "gitlab", "gitlab.incoming-mail-token",
               "config/mail.yml",
               f"issue_address: incoming+acme-app-7-{_glimt}-issue@incoming.gitlab.com\n", _glimt),
    RecallCase("gitlab-agent-token-in-terraform", "gitlab", "gitlab.agent-token",
               "infra/agent.tf",
               'resource "helm_release" "gitlab_agent" {\n  set {\n    name  = "config.token"\n'
               f'    value = "{_glagent}"\n  }}\n}}\n', _glagent),
    RecallCase("gitlab-scim-token-in-yaml", "gitlab", "gitlab.scim-token", "idp/okta.yaml",
               f"scim:\n  endpoint: https://gitlab.com/api/scim/v2/groups/acme\n  token: {_glsoat}\n",
               _glsoat),
    RecallCase("gitlab-ff-token-in-env", "gitlab", "gitlab.feature-flags-client-token",
               "services/web/.env", f"UNLEASH_INSTANCE_ID={_glffct}\n", _glffct),
    RecallCase("gitlab-session-in-har-curl", "gitlab", "gitlab.session-cookie",
               "notes/repro.sh",
               f"curl 'https://gitlab.com/api/v4/user' -H 'Cookie: _gitlab_session={_glsession}'\n",
               _glsession),
    # Bitbucket and Atlassian
    RecallCase("bitbucket-app-password-in-pipelines", "bitbucket", "bitbucket.app-password",
               "bitbucket-pipelines.yml",
               "pipelines:\n  default:\n    - step:\n        script:\n"
               f"          - git push https://ci:{_atbb}@bitbucket.org/acme/app.git\n", _atbb),
    RecallCase("bitbucket-access-token-in-env", "bitbucket", "bitbucket.access-token", ".env",
               f"BITBUCKET_ACCESS_TOKEN={_atctt}\n", _atctt),
    RecallCase("bitbucket-dc-token-in-gradle", "bitbucket", "bitbucket.data-center-http-token",
               "gradle.properties", f"bitbucketToken={_bbdc}\n", _bbdc),
    RecallCase("bitbucket-oauth-secret-in-json", "bitbucket", "bitbucket.oauth-consumer-secret",
               "config/oauth.json",
               f'{{"bitbucket_consumer_secret": "{_bb_secret}", "bitbucket_key": "k3y"}}\n',
               _bb_secret),
    RecallCase("atlassian-api-token-in-python", "atlassian", "atlassian.api-token",
               "tools/jira_sync.py",
               f'jira = JIRA(server="https://acme.atlassian.net", '
               f'basic_auth=("bot@acme.test", "{_atatt}"))\n', _atatt),
    RecallCase("atlassian-api-token-in-netrc", "atlassian", "atlassian.api-token", ".netrc",
               f"machine acme.atlassian.net login bot@acme.test password {_atatt}\n", _atatt),
    RecallCase("jira-dc-pat-in-env", "atlassian", "atlassian.data-center-pat", ".env",
               f"JIRA_PAT={_jira_dc}\n", _jira_dc),
    # Azure DevOps, Sourcegraph, Gitea
    RecallCase("azdo-pat-in-pipeline", "azure-devops", "azure-devops.personal-access-token",
               "azure-pipelines.yml",
               f"variables:\n  AZURE_DEVOPS_EXT_PAT: {_azdo}\n", _azdo),
    RecallCase("azdo-pat-in-nuget-config", "azure-devops", "azure-devops.personal-access-token",
               "NuGet.Config",
               '<packageSourceCredentials>\n  <acme>\n    <add key="Username" value="ci" />\n'
               f'    <add key="ClearTextPassword" value="{_azdo}" />\n  </acme>\n'
               "</packageSourceCredentials>\n", _azdo),
    RecallCase("azdo-legacy-pat-in-env", "azure-devops",
               "azure-devops.personal-access-token-legacy", ".env",
               f"AZURE_DEVOPS_PAT={_azdo_legacy}\n", _azdo_legacy),
    RecallCase("sourcegraph-token-in-shell", "sourcegraph", "sourcegraph.access-token",
               "scripts/search.sh", f"export SRC_ACCESS_TOKEN={_sgp}\nsrc search 'repo:acme'\n",
               _sgp),
    RecallCase("gitea-token-in-yaml", "gitea", "gitea.access-token", "renovate.yaml",
               f"platform: gitea\ngitea_token: {_gitea}\n", _gitea),
]
