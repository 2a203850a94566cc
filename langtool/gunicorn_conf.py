"""Gunicorn settings for serving Langtool (`make serve`; README, "Serving in production").

Command-line flags and GUNICORN_CMD_ARGS override anything here.
"""

import multiprocessing
import os

bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]

# One process per core, two threads each. On the 2-core development machine, 8 keep-alive clients
# on the search page (python -m lookup.bench.loadtest) got, in req/s (p99 ms), on SQLite / on
# PostgreSQL: 2 x 2 threads 419 (43) / 213 (72); 2 x 4 threads 417 (45) / 197 (87); 2 sync workers
# 373 (27) / 214 (52); the usual 2 * cores + 1 = 5 sync workers 325 (38) / 187 (68): more
# processes than cores only fight over them. Threads also keep connections alive, and a slow
# client holds one thread instead of a whole sync worker. WEB_CONCURRENCY and GUNICORN_THREADS
# override the sizes.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 2))

# Load Django once in the master and fork the workers from it: faster start, shared memory, and
# an app that cannot load stops the master instead of every worker in turn.
preload_app = True

# The access log costs throughput; a reverse proxy in front usually keeps one. Errors go to stderr.
accesslog = None
errorlog = "-"

# gunicornc's control socket would live in ~/.gunicorn/, shared by every gunicorn of this user.
control_socket_disable = True


def when_ready(server):
    """Load the lemmatiser's data for every language with entries before the workers fork.

    simplemma reads a language's data on first use (up to a second for German); loaded here,
    every worker inherits it and no visitor waits for it.
    """
    if not server.cfg.preload_app:  # Django is loaded only in the workers
        return
    import simplemma
    from django.db import DatabaseError, connections

    from lookup import queries

    try:
        languages = queries.languages_with_entries()
    except DatabaseError as error:
        server.log.warning("Lemmatiser not warmed up: %s", error)
        return
    finally:
        connections.close_all()  # a connection must not be shared by forked workers
    for language in languages:
        try:
            simplemma.lemmatize("a", lang=language.code)
        except (ValueError, KeyError):  # no lemmatiser for this language
            continue
    server.log.info("Lemmatiser warmed up for %s", ", ".join(language.code for language in languages) or "nothing")
