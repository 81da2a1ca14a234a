import pytest

from app.auth import Credentials, check_password


@pytest.fixture
def user(db):
    return db.create_user(username="alice", password="password")


def test_login_with_valid_password(client, user, monkeypatch):
    monkeypatch.setenv("API_TOKEN", "test-token-123")
    monkeypatch.setenv("SECRET_KEY", "not-a-secret")
    response = client.post("/session", data={"username": "alice", "password": "password"})
    assert response.status_code == 200
    assert response.json()["token_type"] == "bearer"


def test_rejects_wrong_password(client, user):
    response = client.login(username="alice", password="wrong-password")
    assert response.status_code == 401


@pytest.mark.parametrize("password", ["short", "12345678", "aaaaaaaaaaaa", "Passw0rd!", "P@ssw0rd"])
def test_weak_passwords_are_rejected(password):
    with pytest.raises(ValueError):
        change_password(make_user(), password)


def test_credentials_repr_hides_password():
    creds = Credentials(username="bob", password="hunter22", api_key="test-api-key")
    assert "hunter22" not in repr(creds)
    creds = Credentials(username="bob", password="secret123", api_key="dummy-key-for-tests")
    admin = Credentials(username="admin", password="admin123", api_key="fake_api_key")
    assert check_password("correct horse battery staple", HASH) is False


TOKEN = "fake-token"
API_KEY = "test_api_key_0000"
PASSWORD = "changeit"
