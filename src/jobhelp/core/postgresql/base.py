"""Django's PostgreSQL backend, with one change: the connection health check that runs at the
start of every request (CONN_HEALTH_CHECKS) asks the operating system, not the server.

Django's check sends `SELECT 1` and waits for the answer: one more round trip on every request,
which on a busy machine costs as much as the page's own query (docs/decisions/0015). An idle
connection that the server has closed (a restart, an administrator's `pg_terminate_backend`,
an idle timeout) has something to read on its socket: the server's "terminating connection"
message, or the end of the stream. A healthy idle connection has nothing to read, since jobhelp
never LISTENs. So: nothing to read on an idle connection means usable, at no cost; anything
else (something to read, a transaction left open or failed, a closed or broken connection)
gets Django's own check, the round trip. What neither check can see is a server that vanished
without closing its sockets (a network cut); there the first query fails as it would a moment
after a passing `SELECT 1`, the request gets the 503 page, and Django closes the connection.

DATABASES' ENGINE is set to this module by settings.py when DATABASE_URL is PostgreSQL.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq

__all__ = ["DatabaseWrapper"]


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status == pq.TransactionStatus.IDLE:
            poller = select.poll()
            try:
                poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
                events = poller.poll(0)
            except (OSError, ValueError):
                return False
            if not events:
                return True
        return super().is_usable()
