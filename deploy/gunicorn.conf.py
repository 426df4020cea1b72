"""gunicorn's settings for intake: `gunicorn -c deploy/gunicorn.conf.py` (README, Deploying).

The time-outs are chosen together with the database's (intake/config.py): a write waits at
most 5 s for a lock and a PostgreSQL statement runs at most 15 s, so a request that meets a
stuck lock answers with the calm 503 page long before gunicorn would kill its worker (30 s)
and send a bare "Internal Server Error".
"""

import os

wsgi_app = "wsgi:app"
bind = os.environ.get("INTAKE_BIND", "127.0.0.1:8000")
# Sync workers: each request holds one. Two per core is plenty for a practice; a few more
# keep pages coming while some wait for the write lock.
workers = int(os.environ.get("INTAKE_WORKERS", "4"))
worker_class = "sync"
timeout = 30  # seconds a worker may spend on one request before it is killed
graceful_timeout = 20  # on a restart or stop, the time a worker has to finish its request
keepalive = 5
# Replace workers now and then (a leak, should there be one, stays small); the jitter keeps
# them from all restarting at once.
max_requests = 5000
max_requests_jitter = 500
# Only the local proxy may say the request came over HTTPS.
forwarded_allow_ips = "127.0.0.1"
# The request line and headers are enough for logs; never bodies (they hold answers).
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
