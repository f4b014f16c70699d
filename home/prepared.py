"""List queries whose SQL is compiled once per process.

After a course's change the home page reads its course lists again
(home/home_lists.py): two querysets with a dozen subqueries between them
(`.live().public()`, the visitor's language and its fallback, dates ahead,
the session clock). Django builds and compiles each at every call, and that
Python took about ten times as long as the database took to answer them
(docs/performance.md, "The home page after a course's change"). So did the
catalogue's matches (`courses.catalogue.matching_rows`).

`rows(shape, build, now, *ids)` runs the SQL of `build(now, *ids)` compiled
at its first call in this process for `shape`, with this call's `now` and
`ids` put where the first call's were, and turns the rows into model
instances as the queryset would (its joined rows, annotations and its own
`_fetch_all`). So does a course page's list of dates, whose one input
besides the time is its course's id (courses/detail.py).

- **`shape` names every input of the SQL but `now` and `ids`**: the
  locales, which lists or filters, whether the clock is kept, the view
  restrictions and content types the querysets read (`hidden_inputs`). A
  new shape compiles anew; the process keeps the last `MAX_KEPT` shapes.
  More than `MAX_IDS` ids are built at every call.
- **`now` and `ids` must reach the SQL as themselves**, as a datetime
  column compared with `now` does, or a foreign key with an id: the first
  call builds the queryset for two instants (400 days, an hour, a minute, a
  second and a microsecond apart) and two sets of ids (each id moved by its
  own distance), and keeps its SQL only when the two differ in those
  parameters alone, each the instant or the id as the database is given
  it. A queryset that derived another parameter from `now` (a day earlier,
  its date) or from an id is never kept: it is built at every call, as
  before (and `tests/courses/test_prepared_lists.py` fails for the home
  page's lists).
- The rows are the queryset's own: the queryset kept from the first call is
  cloned and iterated with the kept compiler (``SQLCompiler``), which
  answers with the kept SQL and this call's parameters instead of compiling
  again. Nothing may be chained to it; `rows` returns a list.

On PostgreSQL the kept SQL is also a prepared statement of the connection
(`_Preparing`): the database plans it once per connection, not at
every call. Planning these queries of a dozen subqueries took longer than
running them (at demo scale 20 the home page's two lists: about 7 ms of
planning for 5 of execution). Django's own cursors bind parameters on the
client and prepare nothing, so the connection's `plan_cache_mode` of
`force_generic_plan` (academy_site/settings/base.py) reaches these
statements alone: they are planned for any time and ids, once. A
connection kept between requests (``DATABASE_CONN_MAX_AGE``) keeps them;
a new one prepares each statement at its first call, for about what
planning it cost before. ``settings.PREPARED_STATEMENTS`` false (behind a
pooler that cannot hold them) runs the kept SQL unprepared.
"""

import copy
import datetime
import threading

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections

from .request_memo import view_restrictions

_kept = {}
_NEVER = object()  # a shape whose SQL cannot be kept: built at every call
# Shapes kept at most: the catalogue's filters make many (the oldest kept is
# forgotten first).
MAX_KEPT = 256
# Ids at most in a kept SQL: a longer list (an export of every course) is
# rare, and would keep a shape of its own for every length.
MAX_IDS = 50
_keeping = threading.Lock()


class _Kept:
    def __init__(self, queryset, compiler, sql, params, positions):
        self.queryset, self.compiler = queryset, compiler
        # positions: ((index of a parameter, index of its input: 0 for `now`,
        # then the ids'), ...)
        self.sql, self.params, self.positions = sql, params, positions


def hidden_inputs(*models):
    """What the SQL of a page queryset depends on besides its arguments:
    the paths of the view restrictions (``.public()``) and the content types
    of `models` (as the querysets find them)."""
    paths = tuple(sorted({restriction.page_path for restriction in view_restrictions()}))
    types = ContentType.objects.get_for_models(*models, for_concrete_models=False)
    return paths, tuple(sorted(content_type.pk for content_type in types.values()))


def _adapted(connection, now):
    return connection.ops.adapt_datetimefield_value(now)


def _compiled(queryset):
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    return compiler, sql, tuple(params)


# How far each id is moved for the second build: far apart, so that two
# inputs with the same value are still told apart.
_ID_SHIFT = 1_000_003


def _prepare(build, now, ids):
    """The SQL of `build(now, *ids)`, kept, or `_NEVER` when a parameter
    other than `now` and `ids` moved with them."""
    # Another year, month, day, hour, minute, second and microsecond: a
    # parameter derived from any of them differs between the two.
    other = now + datetime.timedelta(days=400, seconds=3661, microseconds=1)
    other_ids = tuple(pk + _ID_SHIFT * n for n, pk in enumerate(ids, start=1))
    queryset = build(now, *ids)
    compiler, sql, params = _compiled(queryset)
    _compiler, other_sql, other_params = _compiled(build(other, *other_ids))
    connection = connections[queryset.db]
    if other_sql != sql or len(other_params) != len(params):
        return _NEVER
    inputs = [(now, other)] + list(zip(ids, other_ids, strict=True))
    adapted = [
        (_adapted(connection, now), _adapted(connection, other)),
        *inputs[1:],
    ]
    positions = []
    for index, (value, other_value) in enumerate(zip(params, other_params, strict=True)):
        if value == other_value:
            continue
        sources = [n for n, pair in enumerate(adapted) if pair == (value, other_value)]
        if len(sources) != 1:
            return _NEVER
        positions.append((index, sources[0]))
    return _Kept(queryset, compiler, sql, params, tuple(positions))


def is_kept(shape):
    """Whether the SQL of `shape` is kept (for tests)."""
    return isinstance(_kept.get(shape), _Kept)


def forget():
    """Forget every kept SQL (for tests that change what `shape` cannot name)."""
    _kept.clear()


def rows(shape, build, now, *ids):
    """The rows of `build(now, *ids)` (a queryset: of model instances, or of
    values), as a list; its SQL compiled once per process for `shape` (see
    the module). `ids` are integers (primary keys)."""
    if not all(type(pk) is int for pk in ids):
        raise TypeError(f"ids must be integers, not {ids!r}")
    if len(ids) > MAX_IDS:
        return list(build(now, *ids))
    kept = _kept.get(shape)
    if kept is None:
        kept = _prepare(build, now, ids)
        with _keeping:  # (threads of one process share what is kept)
            while len(_kept) >= MAX_KEPT:
                _kept.pop(next(iter(_kept)))
            _kept[shape] = kept
    if kept is _NEVER:
        return list(build(now, *ids))
    queryset = kept.queryset._chain()
    connection = connections[queryset.db]
    values = (_adapted(connection, now), *ids)
    params = list(kept.params)
    for index, source in kept.positions:
        params[index] = values[source]
    compiler = copy.copy(kept.compiler)
    compiler.connection = _preparing(connection)
    compiler.as_sql = lambda *args, **kwargs: (kept.sql, tuple(params))
    queryset.query.get_compiler = lambda *args, **kwargs: compiler
    return list(queryset)


def _preparing(connection):
    """`connection`, or on PostgreSQL (``settings.PREPARED_STATEMENTS``) a
    stand-in for it whose cursors prepare what they run (the compiler asks
    its connection for a cursor; everything else is the connection's)."""
    if connection.vendor != "postgresql" or not getattr(settings, "PREPARED_STATEMENTS", True):
        return connection
    return _Preparing(connection)


class _Preparing:
    def __init__(self, connection):
        self._connection = connection

    def __getattr__(self, name):
        return getattr(self._connection, name)

    def cursor(self):
        """A cursor as ``connection.cursor()`` gives (the same checks; its
        queries logged and counted as any, with their parameters in the
        SQL logged), binding its parameters on the server and preparing
        what it runs."""
        from psycopg.pq import Format

        from django.db.backends.postgresql.base import TIMESTAMPTZ_OID
        from django.db.backends.postgresql.psycopg_any import register_tzloader

        cursor_class, debug_wrapper = _classes()
        connection = self._connection
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        with connection.wrap_database_errors:
            raw = cursor_class(connection.connection)
            # As the connection's own cursors do: times in its time zone.
            loader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
            if connection.timezone != loader.timezone:
                register_tzloader(connection.timezone, raw)
        connection.validate_thread_sharing()
        if connection.queries_logged:
            return debug_wrapper(raw, connection)
        return connection.make_cursor(raw)


_made = None


def _classes():
    """Django's cursor binding on the server, executing with
    ``prepare=True``, and a debug wrapper that logs its SQL with the
    parameters written in, as for Django's own cursors (psycopg keeps no
    text of a prepared statement's run). Made once: psycopg is imported
    only on PostgreSQL."""
    global _made
    if _made is None:
        from django.db.backends.postgresql.base import CursorDebugWrapper, ServerBindingCursor
        from django.db.backends.utils import CursorWrapper

        class PreparedCursor(ServerBindingCursor):
            def execute(self, query, params=None, **kwargs):
                return super().execute(query, params, **{**kwargs, "prepare": True})

        class PreparedDebugWrapper(CursorDebugWrapper):
            def execute(self, sql, params=None):
                with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
                    return CursorWrapper.execute(self, sql, params)

        _made = PreparedCursor, PreparedDebugWrapper
    return _made
