"""Security headers on every response, error pages included."""

import pytest
from sqlalchemy.exc import OperationalError

from intake.extensions import db
from intake.infra.security import CSP


def assert_hardened(response):
    assert response.headers["Content-Security-Policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert "frame-ancestors 'none'" in CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path,status", [("/", 200), ("/staff/login", 200),
                                         ("/nowhere", 404), ("/staff/", 302)])
def test_headers_on_pages_and_errors(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert_hardened(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_headers_on_csrf_and_method_errors(client):
    assert_hardened(client.post("/start"))
    response = client.put("/")
    assert response.status_code == 405
    assert_hardened(response)


def test_static_files_may_be_cached(client):
    with client.get("/static/style.css") as response:
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", "")
        assert_hardened(response)


def test_session_cookie_flags(client):
    response = client.get("/")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("intake="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_an_unexpected_error_is_a_calm_page_without_a_traceback(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = client.get("/boom")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "secret detail" not in text and "Traceback" not in text
    assert_hardened(response)


def test_a_database_that_cannot_write_answers_503_calmly(app, client):
    @app.get("/full")
    def full():
        raise OperationalError("INSERT", {}, Exception("database or disk is full"))

    response = client.get("/full")
    assert response.status_code == 503
    assert "Nothing you saved before is lost" in response.get_data(as_text=True)
    assert_hardened(response)


def test_a_forged_host_header_does_not_leak_into_links(client, make_check_in):
    response = client.get("/", headers={"Host": "evil.example"})
    assert "evil.example" not in response.get_data(as_text=True)


def test_behind_a_proxy_tls_gets_hsts(tmp_path, migrated_template):
    from intake import create_app
    from tests import databases
    from tests.conftest import settings

    url = databases.copy(migrated_template, tmp_path)
    app = create_app(settings(url, BEHIND_PROXY=True))
    response = app.test_client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    plain = app.test_client().get("/")
    assert "Strict-Transport-Security" not in plain.headers
    with app.app_context():
        db.engine.dispose()
    databases.drop(url)
