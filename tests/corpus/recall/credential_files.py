"""Recall cases for files with known credential shapes (.netrc, Docker config, htpasswd,
Kubernetes, Terraform, Ansible, …) and for secrets on command lines in scripts and CI files."""

from __future__ import annotations

import json

from tests.corpus.recall import RecallCase
from tests.corpus.recall._leak_places import k8s_secret, workflow
from tests.corpus.recall.gen import ALNUM, B64, b64, rand

HEX = "0123456789abcdef"
CRYPT = "./" + ALNUM
PUNCT = "!%*-_.~"

CASES: list[RecallCase] = []


def _pw(seed: str, n: int = 18) -> str:
    return rand(ALNUM, 2, ("files", seed, "a")) + rand(ALNUM + PUNCT, n - 2, ("files", seed))


def case(id: str, family: str, rule: str, path: str, content: str, secret: str) -> None:
    CASES.append(RecallCase(id, family, rule, path, content, secret))


# -- credential files --------------------------------------------------------------------------
_netrc = _pw("netrc")
case("netrc-file", "netrc", "netrc.password", "home/.netrc",
     f"machine pkgs.fake.internal\n  login build\n  password {_netrc}\n\n"
     "machine api.fake.test login ci password " + _pw("netrc2") + "\n", _netrc)
case("netrc-dockerfile", "netrc", "netrc.password", "Dockerfile",
     "FROM python:3.12-slim\n"
     f"RUN echo \"machine pypi.fake.internal login ci password {_netrc}\" > /root/.netrc \\\n"
     "    && pip install -r requirements.txt\n", _netrc)
_gitcred = _pw("gitcred", 24)
case("git-credentials", "git", "git.credentials-file", "home/.git-credentials",
     f"https://deploy-bot:{_gitcred}@git.fake.internal\nhttps://oauth2:{_pw('gc2')}@gitlab.fake.internal\n",
     _gitcred)
_pgpass = _pw("pgpass")
case("pgpass", "postgres", "postgres.pgpass", "ops/.pgpass",
     f"db.prod.fake.internal:5432:app:app_rw:{_pgpass}\n*:*:*:replicator:{_pw('pgpass2')}\n", _pgpass)
_pypirc = _pw("pypirc")
case("pypirc", "pypi", "pypi.pypirc-password", "home/.pypirc",
     "[distutils]\nindex-servers =\n    internal\n\n[internal]\n"
     f"repository = https://pkgs.fake.internal/simple/\nusername = release\npassword = {_pypirc}\n",
     _pypirc)
_docker_auth = b64(f"ci-bot:{_pw('docker')}")
case("docker-config-json", "docker", "docker.config-auth", "home/.docker/config.json",
     json.dumps({"auths": {"registry.fake.internal": {"auth": _docker_auth},
                           "https://index.docker.io/v1/": {}}, "credsStore": ""}, indent="\t"),
     _docker_auth)
_dcj_auth = b64(f"deployer:{_pw('dcj')}")
case("docker-config-in-k8s-pull-secret", "docker", "docker.config-auth", "k8s/pull-secret.yaml",
     "apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\ntype: kubernetes.io/dockerconfigjson\n"
     "data:\n  .dockerconfigjson: "
     + b64(json.dumps({"auths": {"registry.fake.internal": {"username": "deployer",
                                                            "auth": _dcj_auth}}})) + "\n",
     _dcj_auth)
_apr1 = f"$apr1${rand(CRYPT, 8, 'apr1-salt')}${rand(CRYPT, 22, 'apr1')}"
case("htpasswd-apr1", "htpasswd", "htpasswd.hash", "nginx/.htpasswd",
     f"admin:{_apr1}\nmetrics:{{SHA}}{rand(B64, 27, 'sha')}=\n", _apr1)
_bcrypt = f"$2y$10${rand(CRYPT, 53, 'bcrypt')}"
case("htpasswd-bcrypt-ingress-secret", "htpasswd", "htpasswd.hash", "k8s/basic-auth.yaml",
     k8s_secret("basic-auth", {"auth": f"ops:{_bcrypt}\n"}), _bcrypt)
_shadow = f"$6${rand(CRYPT, 16, 'shadow-salt')}${rand(CRYPT, 86, 'shadow')}"
case("shadow-file-in-image-build", "shadow", "unix.shadow-hash", "image/rootfs/etc/shadow",
     f"root:{_shadow}:19800:0:99999:7:::\ndaemon:*:19800:0:99999:7:::\nbin:*:19800:0:99999:7:::\n",
     _shadow)
_k8s_value = _pw("k8s-data", 22)
case("k8s-secret-data-value", "kubernetes", "kubernetes.secret-data", "k8s/payments.yaml",
     k8s_secret("payments", {"WEBHOOK_SIGNING_SECRET": _k8s_value}), b64(_k8s_value))
_k8s_yml = ("apiVersion: v1\ndata:\n  password: " + b64(_pw("k8s-get")) + "\n  username: "
            + b64("svc") + "\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\ntype: Opaque\n")
case("k8s-secret-kubectl-get-output", "kubernetes", "kubernetes.secret-data", "backup/db-secret.yml",
     _k8s_yml, b64(_pw("k8s-get")))
_string_data = _pw("stringdata", 24)
case("k8s-secret-string-data", "kubernetes", "kubernetes.secret-string-data", "k8s/smtp.yaml",
     "apiVersion: v1\nkind: Secret\nmetadata:\n  name: smtp\n  namespace: prod\ntype: Opaque\n"
     f"stringData:\n  SMTP_HOST: smtp.fake.internal\n  SMTP_PASSWORD: \"{_string_data}\"\n",
     _string_data)
_kube_token = "k8s-aws-v1." + rand(ALNUM + "_-", 180, "kube-token")
case("kubeconfig-token", "kubernetes", "kubernetes.kubeconfig-credential", "deploy/kubeconfig",
     "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://fake.eks.amazonaws.com\n"
     "  name: prod\ncontexts:\n- context:\n    cluster: prod\n    user: ci\n  name: prod\n"
     f"current-context: prod\nusers:\n- name: ci\n  user:\n    token: {_kube_token}\n", _kube_token)
_tfvars = _pw("tfvars")
case("tfvars-db-password", "terraform", "terraform.tfvars-secret", "envs/prod/terraform.tfvars",
     f'region            = "eu-west-1"\ninstance_class    = "db.r6g.large"\n'
     f'db_master_password = "{_tfvars}"\n',
     _tfvars)
_tfvars_json = rand(HEX, 32, "tfvars-json")
case("tfvars-json-api-key", "terraform", "terraform.tfvars-secret", "envs/prod/datadog.auto.tfvars.json",
     json.dumps({"datadog_api_key": _tfvars_json, "datadog_site": "datadoghq.eu"}, indent=2),
     _tfvars_json)
_tf_default = _pw("tfdefault")
case("tf-variable-default", "terraform", "terraform.variable-default-secret",
     "modules/rds/variables.tf",
     'variable "instance_class" {\n  default = "db.t3.micro"\n}\n\n'
     'variable "admin_password" {\n  description = "Master password"\n  type        = string\n'
     f'  sensitive   = true\n  default     = "{_tf_default}"\n}}\n', _tf_default)
_tfstate = _pw("tfstate", 24)
case("tfstate-password", "terraform", "terraform.state-secret", "terraform.tfstate",
     json.dumps({"version": 4, "terraform_version": "1.7.5", "resources": [
         {"mode": "managed", "type": "azurerm_mssql_server", "name": "main", "instances": [
             {"attributes": {"name": "fake-sql", "administrator_login": "sqladmin",
                             "administrator_login_password": _tfstate,
                             "version": "12.0"}}]}]}, indent=2), _tfstate)
_ansible = _pw("ansible")
case("ansible-group-vars", "ansible", "ansible.vars-secret", "inventories/prod/group_vars/db.yml",
     f"postgres_version: 16\npostgres_listen: '*'\npostgres_replication_password: {_ansible}\n",
     _ansible)
_ansible2 = _pw("ansible2", 28)
case("ansible-role-defaults", "ansible", "ansible.vars-secret", "roles/grafana/defaults/main.yml",
     f"grafana_port: 3000\ngrafana_admin_user: admin\ngrafana_api_token: \"{_ansible2}\"\n", _ansible2)
_inv = _pw("inventory")
case("ansible-ini-inventory", "ansible", "ansible.inventory-password", "inventories/prod/hosts.ini",
     "[web]\nweb1 ansible_host=10.0.1.11\nweb2 ansible_host=10.0.1.12\n\n[web:vars]\n"
     f"ansible_user=deploy\nansible_password={_inv}\n", _inv)
case("ansible-become-pass-yaml", "ansible", "ansible.inventory-password", "playbooks/site.yml",
     "- hosts: db\n  vars:\n    ansible_become: true\n"
     f"    ansible_become_pass: {_inv}\n  roles:\n    - postgres\n", _inv)
_maven = _pw("maven")
case("maven-settings", "maven", "maven.settings-password", "ci/settings.xml",
     "<settings>\n  <servers>\n    <server>\n      <id>releases</id>\n      <username>deployer</username>\n"
     f"      <password>{_maven}</password>\n    </server>\n  </servers>\n</settings>\n", _maven)
_filezilla = b64(_pw("filezilla"))
case("filezilla-sitemanager", "filezilla", "filezilla.saved-password", "backup/sitemanager.xml",
     '<?xml version="1.0" encoding="UTF-8"?>\n<FileZilla3 version="3.66.0">\n  <Servers>\n    <Server>\n'
     "      <Host>ftp.fake.internal</Host>\n      <Port>21</Port>\n      <User>webmaster</User>\n"
     f'      <Pass encoding="base64">{_filezilla}</Pass>\n    </Server>\n  </Servers>\n</FileZilla3>\n',
     _filezilla)
_wp = _pw("wp")
case("wp-config-db-password", "wordpress", "wordpress.config-secret", "public_html/wp-config.php",
     "<?php\ndefine( 'DB_NAME', 'wordpress' );\ndefine( 'DB_USER', 'wp' );\n"
     f"define( 'DB_PASSWORD', '{_wp}' );\ndefine( 'DB_HOST', 'localhost' );\n", _wp)
_wp_salt = rand(ALNUM + "!#%&()*+,-./:;<=>?@[]^_{|}~", 64, "wp-salt").replace("'", "x")
case("wp-config-auth-key", "wordpress", "wordpress.config-secret", "public_html/wp-config.php",
     f"<?php\ndefine('AUTH_KEY',         '{_wp_salt}');\n", _wp_salt)
_master = rand(HEX, 32, "rails-master")
case("rails-master-key", "rails", "rails.master-key", "config/master.key", _master, _master)

# -- command lines -----------------------------------------------------------------------------
_curl = _pw("curl")
case("curl-basic-auth-script", "cli", "cli.curl-basic-auth", "scripts/upload.sh",
     "#!/bin/sh\nset -eu\n"
     f"curl -fsS -u deploy:{_curl} --upload-file dist/app.tgz https://nexus.fake.internal/repository/raw/\n",
     _curl)
case("curl-basic-auth-readme", "cli", "cli.curl-basic-auth", "README.md",
     "## Triggering a build\n\n```sh\n"
     f"curl --user 'jenkins:{_curl}' -X POST https://ci.fake.internal/job/api/build\n```\n", _curl)
_wget = _pw("wget")
case("wget-password-makefile", "cli", "cli.wget-password", "Makefile",
     "fetch:\n"
     f"\twget --user=ci --password={_wget} https://artifacts.fake.internal/models/v3.tar.gz\n", _wget)
_sshpass = _pw("sshpass")
case("sshpass-ci", "cli", "cli.sshpass-password", ".gitlab-ci.yml",
     "deploy:\n  stage: deploy\n  script:\n"
     f"    - sshpass -p '{_sshpass}' rsync -az dist/ deploy@10.0.2.15:/srv/www/\n", _sshpass)
_dlogin = _pw("dlogin", 24)
case("docker-login-workflow", "cli", "cli.docker-login-password", ".github/workflows/build.yml",
     workflow({"IMAGE": "registry.fake.internal/api"},
              f"docker login -u ci-bot -p {_dlogin} registry.fake.internal && docker push $IMAGE"),
     _dlogin)
case("podman-login-jenkinsfile", "cli", "cli.docker-login-password", "Jenkinsfile",
     "pipeline {\n  agent any\n  stages {\n    stage('push') {\n      steps {\n"
     f"        sh 'podman login --username ci --password={_dlogin} quay.fake.internal'\n"
     "      }\n    }\n  }\n}\n", _dlogin)
_mysql = _pw("mysqlcli")
case("mysqldump-cron", "cli", "cli.mysql-password", "ops/cron/backup",
     f"0 3 * * * root mysqldump -h db.prod.fake.internal -u backup -p{_mysql} --all-databases"
     " | gzip > /backup/all.sql.gz\n",
     _mysql)
_rcli = _pw("rediscli", 24)
case("redis-cli-script", "cli", "cli.redis-cli-password", "scripts/flush-sessions.sh",
     f"redis-cli -h redis.prod.fake.internal -p 6380 --tls -a {_rcli} --scan --pattern 'sess:*'\n",
     _rcli)
_mongo = _pw("mongocli")
case("mongodump-script", "cli", "cli.mongo-shell-password", "scripts/backup-mongo.sh",
     f"mongodump --uri mongodb://10.0.0.5:27017 -u backup -p {_mongo} "
     "--authenticationDatabase admin --gzip\n",
     _mongo)
_sqlcmd = _pw("sqlcmd")
case("sqlcmd-powershell", "cli", "cli.sqlcmd-password", "deploy/migrate.ps1",
     f"sqlcmd -S sql.prod.fake.internal -U sa -P {_sqlcmd} -d crm -i .\\migrations\\001.sql\n", _sqlcmd)
_p12 = _pw("p12")
case("openssl-passout", "cli", "cli.openssl-passphrase", "scripts/make-p12.sh",
     f"openssl pkcs12 -export -in tls.crt -inkey tls.key -out tls.p12 -passout pass:{_p12}\n", _p12)
_gpg = _pw("gpg")
case("gpg-passphrase-ci", "cli", "cli.openssl-passphrase", ".circleci/config.yml",
     "jobs:\n  release:\n    steps:\n      - run: >\n"
     f"          gpg --batch --pinentry-mode loopback --passphrase {_gpg} --decrypt secrets.env.gpg > .env\n",
     _gpg)
_jks = _pw("jks")
case("keytool-android-build", "cli", "cli.keytool-password", "android/sign.sh",
     "keytool -genkeypair -v -keystore release.jks -alias upload -keyalg RSA -keysize 2048 "
     f"-storepass {_jks} -keypass {_jks}\n",
     _jks)
_smb = _pw("smb")
case("smbclient-backup", "cli", "cli.smbclient-password", "scripts/nightly.sh",
     f"smbclient //fs.fake.internal/backups -U 'svc_backup%{_smb}' -c 'put /tmp/dump.sql.gz dump.sql.gz'\n",
     _smb)
_htp = _pw("htpasswd-b")
case("htpasswd-batch-dockerfile", "cli", "cli.htpasswd-batch-password", "nginx/Dockerfile",
     f"FROM nginx:1.27\nRUN apt-get update && apt-get install -y apache2-utils \\\n"
     f"    && htpasswd -bc /etc/nginx/.htpasswd metrics {_htp}\n", _htp)
