CREATE TABLE users (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    api_key_hash  TEXT,
    reset_token   TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- psql -v app_password="$APP_PASSWORD" -f schema.sql
CREATE ROLE storefront_app LOGIN;
ALTER ROLE storefront_app WITH PASSWORD :'app_password';
CREATE USER 'report'@'%' IDENTIFIED BY :report_password;
