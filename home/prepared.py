"""List queries whose SQL is compiled once per process.

After a course's change the home page reads its course lists again
(home/home_lists.py): two querysets with a dozen subqueries between them
(`.live().public()`, the visitor's language and its fallback, dates ahead,
the session clock). Django builds and compiles each at every call, and that
Python took about ten times as long as the database took to answer them
(docs/performance.md, "The home page after a course's change"). So did the
catalogue's matches (`courses.catalogue.matching_rows`).

`rows(shape, build, now)` runs the SQL of `build(now)` compiled at its first
call in this process for `shape`, with this call's `now` put where the first
call's was, and turns the rows into model instances as the queryset would
(its joined rows, annotations and its own `_fetch_all`).

- **`shape` names every input of the SQL but `now`**: the locales, which
  lists or filters, whether the clock is kept, the view restrictions and
  content types the querysets read (`hidden_inputs`). A new shape compiles
  anew; the process keeps the last `MAX_KEPT` shapes.
- **`now` must reach the SQL as itself**, as a datetime column compared
  with it does: the first call builds the queryset for two instants (400
  days, an hour, a minute, a second and a microsecond apart) and keeps its
  SQL only when the two differ in those parameters alone, each the instant
  as the database is given it. A queryset that derived another
  parameter from `now` (a day earlier, its date) is never kept: it is built
  at every call, as before (and `tests/home/test_prepared.py` fails for the
  home page's lists).
- The rows are the queryset's own: the queryset kept from the first call is
  cloned and iterated with the kept compiler (``SQLCompiler``), which
  answers with the kept SQL and this call's parameters instead of compiling
  again. Nothing may be chained to it; `rows` returns a list.
"""

import copy
import datetime
import threading

from django.contrib.contenttypes.models import ContentType
from django.db import connections

from .request_memo import view_restrictions

_kept = {}
_NEVER = object()  # a shape whose SQL cannot be kept: built at every call
# Shapes kept at most: the catalogue's filters make many (the oldest kept is
# forgotten first).
MAX_KEPT = 256
_keeping = threading.Lock()


class _Kept:
    def __init__(self, queryset, compiler, sql, params, positions):
        self.queryset, self.compiler = queryset, compiler
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


def _prepare(build, now):
    """The SQL of `build(now)`, kept, or `_NEVER` when a parameter other than
    `now` moved with `now`."""
    # Another year, month, day, hour, minute, second and microsecond: a
    # parameter derived from any of them differs between the two.
    other = now + datetime.timedelta(days=400, seconds=3661, microseconds=1)
    queryset = build(now)
    compiler, sql, params = _compiled(queryset)
    _compiler, other_sql, other_params = _compiled(build(other))
    connection = connections[queryset.db]
    if other_sql != sql or len(other_params) != len(params):
        return _NEVER
    positions = []
    for index, (value, other_value) in enumerate(zip(params, other_params, strict=True)):
        if value == other_value:
            continue
        if value != _adapted(connection, now) or other_value != _adapted(connection, other):
            return _NEVER
        positions.append(index)
    return _Kept(queryset, compiler, sql, params, tuple(positions))


def is_kept(shape):
    """Whether the SQL of `shape` is kept (for tests)."""
    return isinstance(_kept.get(shape), _Kept)


def forget():
    """Forget every kept SQL (for tests that change what `shape` cannot name)."""
    _kept.clear()


def rows(shape, build, now):
    """The rows of `build(now)` (a queryset: of model instances, or of
    values), as a list; its SQL compiled once per process for `shape` (see
    the module)."""
    kept = _kept.get(shape)
    if kept is None:
        kept = _prepare(build, now)
        with _keeping:  # (threads of one process share what is kept)
            while len(_kept) >= MAX_KEPT:
                _kept.pop(next(iter(_kept)))
            _kept[shape] = kept
    if kept is _NEVER:
        return list(build(now))
    queryset = kept.queryset._chain()
    connection = connections[queryset.db]
    params = list(kept.params)
    for index in kept.positions:
        params[index] = _adapted(connection, now)
    compiler = copy.copy(kept.compiler)
    compiler.connection = connection
    compiler.as_sql = lambda *args, **kwargs: (kept.sql, tuple(params))
    queryset.query.get_compiler = lambda *args, **kwargs: compiler
    return list(queryset)
