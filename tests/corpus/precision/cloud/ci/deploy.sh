#!/usr/bin/env bash
# Deploy script: every credential comes from the environment of the CI job.
set -euo pipefail

curl -fsS -u "$NEXUS_USER:$NEXUS_PASSWORD" --upload-file dist/app.tgz "$NEXUS_URL/repository/raw/"
PGPASSWORD="$DB_PASSWORD" psql -h "$DB_HOST" -U app -c 'select 1'
mysql -u root -p shop < schema.sql
mysqldump -u backup -p"$MYSQL_PASSWORD" --all-databases | gzip > all.sql.gz
redis-cli -h "$REDIS_HOST" --askpass ping
sshpass -e ssh deploy@"$HOST" 'systemctl restart app'
docker login -u ci-bot --password-stdin registry.acme.internal < "$REGISTRY_TOKEN_FILE"
openssl pkcs12 -export -in tls.crt -inkey tls.key -out tls.p12 -passout env:P12_PASSWORD
keytool -list -keystore app.jks -storepass:env KEYSTORE_PASSWORD
git clone "https://${GIT_USER}:${GIT_TOKEN}@git.acme.internal/platform/api.git"
wget --user="$ARTIFACT_USER" --ask-password https://artifacts.acme.internal/build.tgz
