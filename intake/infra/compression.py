"""The stylesheet and script, gzipped for phones on slow networks.

Only static files: they hold no secret, so compressing them leaks nothing (pages, which
hold CSRF tokens and what a client typed, are never compressed: BREACH). Each file is
compressed once per worker and version (its modification time and size).
"""

from __future__ import annotations

import gzip

from flask import Flask, request
from werkzeug.wrappers import Response

_COMPRESSED: dict[tuple, bytes] = {}
_WORTH = 1024  # bytes: smaller files are sent as they are


def init_app(app: Flask) -> None:
    """Compress static files for browsers that accept gzip."""

    @app.after_request
    def _gzip_static(response: Response) -> Response:
        if (request.endpoint != "static" or response.status_code != 200
                or "gzip" not in request.headers.get("Accept-Encoding", "")
                or response.headers.get("Content-Encoding")):
            return response
        response.direct_passthrough = False
        data = response.get_data()
        if len(data) < _WORTH:
            return response
        key = (request.path, response.headers.get("Last-Modified"), len(data))
        if key not in _COMPRESSED:
            _COMPRESSED[key] = gzip.compress(data, compresslevel=9, mtime=0)
        response.set_data(_COMPRESSED[key])
        response.headers["Content-Encoding"] = "gzip"
        response.vary.add("Accept-Encoding")
        return response
