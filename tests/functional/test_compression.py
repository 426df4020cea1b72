"""The stylesheet and script travel gzipped; pages never do (they hold secrets)."""

import gzip


def test_static_files_are_gzipped_for_browsers_that_accept_it(client):
    plain = client.get("/static/style.css")
    packed = client.get("/static/style.css", headers={"Accept-Encoding": "gzip, br"})
    try:
        assert packed.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert gzip.decompress(packed.data) == plain.data
        assert len(packed.data) < len(plain.data) / 2
        assert "Content-Encoding" not in plain.headers
    finally:
        plain.close()
        packed.close()


def test_pages_are_never_compressed(client):
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in page.headers
