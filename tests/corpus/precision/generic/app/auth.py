"""Session endpoints: the password arrives in the request and leaves as a hash."""

import os
import secrets
from dataclasses import dataclass

import bcrypt
from flask import Flask, abort, jsonify, request

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]
SECRET_KEY = os.getenv("SECRET_KEY")
API_KEY_HEADER = "X-API-Key"
TOKEN_PREFIX = "Bearer "
PASSWORD_MIN_LENGTH = 12
password_field = "password"
token_url = "https://auth.example.com/oauth/token"
DB_PASSWORD_FILE = "/run/secrets/db_password"


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str
    api_key: str | None = None


def check_password(password: str, password_hash: bytes) -> bool:
    return bcrypt.checkpw(password.encode(), password_hash)


@app.post("/session")
def login():
    username = request.form["username"]
    password = request.form['password']
    api_key = request.headers.get("X-API-Key")
    user = find_user(username)
    if user is None or not check_password(password, user.password_hash):
        abort(401)
    token = secrets.token_urlsafe(32)
    refresh_token = secrets.token_hex(32)
    store_session(user.id, token, refresh_token)
    return jsonify(access_token=token, refresh_token=refresh_token, token_type="bearer")


def change_password(user, new_password):
    if len(new_password) < PASSWORD_MIN_LENGTH:
        raise ValueError("password too short")
    user.password_hash = bcrypt.hashpw(new_password.encode(), bcrypt.gensalt())
    user.password = None
    password = getpass_fallback() if os.isatty(0) else None
    return password
