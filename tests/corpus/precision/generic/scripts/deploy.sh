#!/usr/bin/env bash
# Deploy storefront: every credential comes from Vault or the CI environment.
set -euo pipefail

export VAULT_ADDR=https://vault.example.com
export VAULT_TOKEN="$(vault login -method=oidc -token-only)"
export DB_PASSWORD=$(vault kv get -field=password secret/storefront/db)
export API_KEY="${STOREFRONT_API_KEY:?missing}"
TOKEN=$(cat /run/secrets/deploy_token)
PASSWORD_FILE=/run/secrets/db_password
read -rsp "Password: " PASSWORD

echo "$REGISTRY_PASSWORD" | docker login --username ci --password-stdin registry.example.com
mysql -u root -p"$MYSQL_ROOT_PASSWORD" storefront < schema.sql
mysql -u root -p storefront < seed.sql
PGPASSWORD="$DB_PASSWORD" psql -h db -U storefront -c 'select 1'
psql "host=db user=storefront password=$DB_PASSWORD dbname=storefront" -c 'select 1'
curl -fsS -u "$DEPLOY_USER:$DEPLOY_PASSWORD" https://ci.example.com/job/deploy/build
curl -fsS -H "Authorization: Bearer ${TOKEN}" -H "X-API-Key: $API_KEY" https://api.example.com/v1/deploys
sshpass -p "$SSH_PASSWORD" ssh deploy@app.storefront.example ./restart.sh
./manage.py createsuperuser --username admin --password "$ADMIN_PASSWORD"
storefront-cli --api-key=$API_KEY --token "${TOKEN}" --password-file "$PASSWORD_FILE" sync
ssh -p 2222 deploy@deploy.storefront.example
