"""The app as served for benchmarks, plus a bare route to compare every figure against."""

from intake import create_app

app = create_app()


@app.get("/bench/bare")
def bare():
    return "ok"
