"""Recall cases for database and URL credentials: connection URLs, JDBC and ADO.NET strings,
client environment variables, server configuration files and basic auth in URLs."""

from __future__ import annotations

import json

from tests.corpus.recall import RecallCase
from tests.corpus.recall._leak_places import dotenv, k8s_secret, notebook, workflow
from tests.corpus.recall.gen import ALNUM, rand

PUNCT = "!%*-_.~"


def _pw(seed: str, n: int = 18) -> str:
    """A password shaped like real ones: letters, digits and URL-safe punctuation."""
    return rand(ALNUM, 2, ("db", seed, "a")) + rand(ALNUM + PUNCT, n - 2, ("db", seed))


CASES: list[RecallCase] = []


def case(id: str, rule: str, path: str, content: str, secret: str, family: str = "database") -> None:
    CASES.append(RecallCase(id, family, rule, path, content, secret))


_pg = _pw("pg")
case("postgres-url-env", "db.postgres-url", ".env",
     dotenv(DATABASE_URL=f"postgres://app_rw:{_pg}@db.prod.fake.internal:5432/app?sslmode=require"),
     _pg)
case("postgres-url-django-settings", "db.postgres-url", "app/settings/production.py",
     "import dj_database_url\nDATABASES = {\n    'default': dj_database_url.parse(\n"
     f"        'postgresql://django:{_pg}@10.20.0.15:5432/shop', conn_max_age=600)\n}}\n", _pg)
_pg2 = _pw("pg2")
case("postgres-url-sqlalchemy-notebook", "db.postgres-url", "notebooks/cohort.ipynb",
     notebook("import pandas as pd", "from sqlalchemy import create_engine",
              f'engine = create_engine("postgresql+psycopg2://analyst:{_pg2}@warehouse.fake.internal/dw")',
              'df = pd.read_sql("select * from orders", engine)'), _pg2)
case("postgres-url-in-k8s-secret-data", "db.postgres-url", "k8s/api-secret.yaml",
     k8s_secret("api", {"DATABASE_URL": f"postgresql://api:{_pg2}@pg.prod.svc:5432/api",
                        "LOG_LEVEL": "info"}), _pg2)
_my = _pw("my")
case("mysql-url-prisma-env", "db.mysql-url", "prisma/.env",
     dotenv(DATABASE_URL=f'"mysql://shop:{_my}@mysql.prod.fake.internal:3306/shop"'), _my)
case("mysql-url-flask-config", "db.mysql-url", "config.py",
     "class ProductionConfig(Config):\n"
     f"    SQLALCHEMY_DATABASE_URI = 'mysql+pymysql://report:{_my}@10.0.3.4/reports?charset=utf8mb4'\n",
     _my)
_maria = _pw("maria")
case("mariadb-url-yaml", "db.mariadb-url", "config/database.yml",
     f"production:\n  url: mariadb://wiki:{_maria}@mariadb.fake.internal:3306/wiki\n", _maria)
_mongo = _pw("mongo")
case("mongodb-srv-node", "db.mongodb-url", "src/db.js",
     "const { MongoClient } = require('mongodb');\n"
     f"const uri = 'mongodb+srv://svc-api:{_mongo}@cluster0.fake0.mongodb.net/app?retryWrites=true&w=majority';\n"
     "module.exports = new MongoClient(uri);\n", _mongo)
case("mongodb-replica-set-yaml", "db.mongodb-url", "helm/values-prod.yaml",
     "mongodb:\n  uri: \"mongodb://admin:" + _mongo
     + "@10.0.0.5:27017,10.0.0.6:27017,10.0.0.7:27017/?replicaSet=rs0&authSource=admin\"\n", _mongo)
_redis = _pw("redis", 24)
case("redis-url-celery", "db.redis-url", "proj/celery.py",
     "from celery import Celery\n"
     f"app = Celery('proj', broker='rediss://:{_redis}@redis.prod.fake.internal:6380/0')\n", _redis)
case("redis-url-compose", "db.redis-url", "docker-compose.yml",
     "services:\n  worker:\n    image: fake/worker\n    environment:\n"
     f"      REDIS_URL: redis://default:{_redis}@10.0.0.9:6379/1\n", _redis)
_amqp = _pw("amqp")
case("amqp-url-env", "db.amqp-url", "orders/.env",
     dotenv(BROKER_URL=f"amqps://orders:{_amqp}@b-fake.mq.eu-west-1.amazonaws.com:5671/prod"), _amqp)
_mssql = _pw("mssql")
case("mssql-url-go", "db.mssql-url", "internal/db/db.go",
     "package db\n\nconst dsn = \"sqlserver://crm_app:" + _mssql
     + "@sql.prod.fake.internal:1433?database=crm&encrypt=true\"\n", _mssql)
_neo = _pw("neo")
case("neo4j-url", "db.other-url", "graph/.env",
     dotenv(NEO4J_URI=f"neo4j+s://neo4j:{_neo}@fa4e0000.databases.neo4j.io"), _neo)
case("clickhouse-url", "db.other-url", "analytics/config.toml",
     f'[clickhouse]\nurl = "clickhouse://events:{_neo}@ch.prod.fake.internal:9000/events"\n', _neo)
_jdbc = _pw("jdbc")
case("jdbc-spring-properties", "db.jdbc-password", "src/main/resources/application-prod.properties",
     "spring.datasource.url=jdbc:postgresql://db.prod.fake.internal:5432/app?user=app&password="
     f"{_jdbc}&ssl=true\nspring.jpa.hibernate.ddl-auto=validate\n", _jdbc)
case("jdbc-sqlserver-xml", "db.jdbc-password", "conf/context.xml",
     '<Context>\n  <Resource name="jdbc/crm" type="javax.sql.DataSource"\n'
     '            url="jdbc:sqlserver://sql.fake.internal:1433;databaseName=crm;user=svc;'
     f'password={_jdbc};encrypt=true" />\n</Context>\n', _jdbc)
_ora = _pw("oracle", 14).replace("@", "x")
case("jdbc-oracle-thin", "db.jdbc-password", "etl/job.properties",
     f"source.url=jdbc:oracle:thin:etl_reader/{_ora}@ora.prod.fake.internal:1521:ORCL\n", _ora)
_ado = _pw("ado")
case("adonet-appsettings", "db.adonet-password", "src/Crm.Api/appsettings.Production.json",
     json.dumps({"ConnectionStrings": {"Crm": "Server=tcp:sql.prod.fake.internal,1433;"
                 f"Initial Catalog=Crm;User ID=crm_app;Password={_ado};Encrypt=True;"}}, indent=2), _ado)
case("adonet-web-config", "db.adonet-password", "Web.config",
     '<connectionStrings>\n  <add name="Main" providerName="System.Data.SqlClient"\n'
     f'       connectionString="Data Source=10.0.0.4;Initial Catalog=Sales;Uid=sales;Pwd={_ado};" />\n'
     '</connectionStrings>\n', _ado)
_env = _pw("env")
case("pgpassword-shell", "db.client-password-env", "scripts/backup.sh",
     "#!/bin/sh\nset -e\n"
     f"PGPASSWORD={_env} pg_dump -h db.prod.fake.internal -U backup app | gzip > app.sql.gz\n", _env)
case("postgres-password-compose", "db.client-password-env", "docker-compose.prod.yml",
     "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n"
     f"      POSTGRES_PASSWORD: {_env}\n", _env)
case("mysql-root-password-dockerfile", "db.client-password-env", "docker/mysql/Dockerfile",
     f"FROM mysql:8.4\nENV MYSQL_ROOT_PASSWORD {_env}\nCOPY schema.sql /docker-entrypoint-initdb.d/\n",
     _env)
case("mssql-sa-password-workflow", "db.client-password-env", ".github/workflows/test.yml",
     workflow({"MSSQL_SA_PASSWORD": _env, "ACCEPT_EULA": "Y"}, "dotnet test"), _env)
_mycnf = _pw("mycnf")
case("mysql-option-file", "db.mysql-option-file-password", "deploy/backup/.my.cnf",
     f"[client]\nuser=backup\npassword={_mycnf}\nhost=db.prod.fake.internal\n", _mycnf)
_requirepass = _pw("requirepass", 32)
case("redis-conf-requirepass", "db.redis-config-password", "redis/redis.conf",
     "bind 0.0.0.0\nprotected-mode yes\nport 6379\n"
     f"requirepass {_requirepass}\nmaxmemory 2gb\n", _requirepass)
case("redis-server-command-compose", "db.redis-config-password", "docker-compose.yml",
     "services:\n  cache:\n    image: redis:7\n"
     f"    command: redis-server --requirepass {_requirepass} --appendonly yes\n", _requirepass)
_proxy = _pw("proxy")
case("url-basic-auth-proxy-env", "url.basic-auth", "ops/proxy.env",
     dotenv(HTTPS_PROXY=f"http://svc-proxy:{_proxy}@proxy.corp.fake.internal:3128",
            NO_PROXY="localhost,.fake.internal"), _proxy, family="urls")
case("url-basic-auth-git-remote", "url.basic-auth", "scripts/release.sh",
     f"git remote set-url origin https://release-bot:{_proxy}@git.fake.internal/platform/api.git\n"
     "git push origin --tags\n", _proxy, family="urls")
case("url-basic-auth-webhook-yaml", "url.basic-auth", "monitoring/alertmanager.yml",
     "receivers:\n  - name: ops\n    webhook_configs:\n"
     f"      - url: https://alerts:{_proxy}@hooks.fake.internal/alertmanager\n", _proxy, family="urls")
_qp = _pw("query")
case("url-password-parameter-python", "url.password-parameter", "tools/export.py",
     "import requests\nresp = requests.get(\n"
     f"    'https://reports.fake.internal/export.csv?user=finance&password={_qp}&format=csv')\n",
     _qp, family="urls")
