"""Row counts and filter forms of list pages and API lists, cached until a table they read is
written.

Every paginated list tells how many rows it holds ("1-50 of 200,000", the API's ``count``). On a
large CoC that ``COUNT(*)`` over the restricted set is the most expensive statement of the request
(200,000 clients: ~45 ms, 400,000 enrollments: ~75 ms on the 2-core bench machine), while the
rows of one page cost a millisecond through an index. Counts are therefore kept in Django's cache
(Redis in production, so every gunicorn worker shares them), keyed by the exact SQL and
parameters of the list (the user's restriction, the filters) and by a version of every table
that SQL reads.

A table's version changes
- when a model instance of it is saved (``post_save``, one cache write) — a flag status change,
  a form, an API write; and after the transaction commits again, so that a count taken by another
  request between the write and the commit is not kept;
- when a bulk writer says so: the HMIS importer (every table, :func:`tables_changed` with no
  argument), a data-quality scan (its flags), any other set-based write that calls
  :func:`tables_changed`.

The filter form beside every list page (``{{ filter.form|cached_crispy }}``, see
``hmis_gov.templatetags``) is kept the same way: its HTML depends on the request's filter values
and on the choices of its fields (the agencies and projects the user may see), so it is keyed by
those values and by the SQL and table versions of each choice queryset (rendering the 200-odd
options of the inbox's form took ~23 ms a page).

Deletions do not listen to ``post_delete`` (a listener would turn every bulk delete, an import
replacing a source's millions of records included, into a per-row delete); a deleted row leaves
a count at most ``LIST_COUNT_CACHE_SECONDS`` old (60 s by default; 0 turns the cache off).
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import Q, QuerySet
from django.db.models.query import ModelIterable
from django.db.models.signals import post_save

log = logging.getLogger(__name__)
_TABLE = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"')
_PREFIX = "rows-version:"
ALL = "*"  # a version every count depends on: bumped by writers of many tables


def seconds() -> int:
    return int(getattr(settings, "LIST_COUNT_CACHE_SECONDS", 60))


def _versions(tables: list[str]) -> list[str]:
    keys = [_PREFIX + t for t in tables]
    found = cache.get_many(keys)
    missing = [k for k in keys if k not in found]
    for key in missing:
        # A table never written (or its version evicted) gets a fresh version, never "none":
        # "none" could match a count kept before an eviction.
        cache.add(key, uuid.uuid4().hex, None)
    if missing:
        found.update(cache.get_many(missing))
    return [str(found.get(k)) for k in keys]


def _bump(tables) -> None:
    try:
        cache.set_many({_PREFIX + t: uuid.uuid4().hex for t in tables}, None)
    except Exception:  # the cache is down; it comes back empty (Redis keeps nothing on disk)
        log.warning("list cache unavailable: could not mark %s as changed", ", ".join(tables))


def _key(kind: str, parts: list[str], tables: set[str]) -> str:
    """The cache key of ``parts`` as long as the versions of ``tables`` (and ``*``) hold."""
    ordered = sorted(tables | {ALL})
    digest = hashlib.sha256("\x1f".join([*parts, *ordered, *_versions(ordered)]).encode())
    return f"{kind}:{digest.hexdigest()}"


def _remembered(kind: str, parts: list[str], tables: set[str], compute, ttl: int):
    """``compute()``, kept under ``parts`` and the versions of ``tables`` for ``ttl`` seconds.

    Without the cache (Redis down) every call computes: lists stay up, only slower.
    """
    try:
        key = _key(kind, parts, tables)
        found = cache.get(key)
    except Exception:
        log.warning("list cache unavailable: computing %s without it", kind)
        return compute()
    if found is None:
        found = compute()
        try:
            cache.set(key, found, ttl)
        except Exception:
            log.warning("list cache unavailable: %s not kept", kind)
    return found


def remembered(kind: str, parts: list[str], tables, compute):
    """``compute()``, kept under ``parts`` until one of ``tables`` is written (or the TTL ends);
    computed every time when the cache is off (``LIST_COUNT_CACHE_SECONDS`` 0) or down."""
    ttl = seconds()
    if not ttl:
        return compute()
    return _remembered(kind, list(parts), set(tables), compute, ttl)


def tables_changed(*tables_or_models) -> None:
    """Counts reading these tables (models or table names) are stale: now and after commit.

    With no argument, every count is.
    """
    tables = {getattr(getattr(t, "_meta", None), "db_table", t) for t in tables_or_models}
    tables = sorted(tables or {ALL})
    _bump(tables)
    transaction.on_commit(lambda: _bump(tables))


# Written on every request (SESSION_SAVE_EVERY_REQUEST) and never listed.
_NOT_LISTED = {"django_session"}


def _saved(sender, **kwargs) -> None:
    if seconds() and sender._meta.db_table not in _NOT_LISTED:
        tables_changed(sender._meta.db_table)


def connect() -> None:
    """Listen to saves (called once per process by ``roles.apps``, web and workers alike)."""
    post_save.connect(_saved, dispatch_uid="hmis_gov.listcache.saved")


def _statement(queryset: QuerySet) -> tuple[list[str], set[str]] | None:
    """The key parts of ``queryset`` (database, SQL, parameters) and the tables its SQL reads;
    None when it needs no statement (an empty ``IN``)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return None
    database = str(connections[queryset.db].settings_dict["NAME"])
    return [database, sql, repr(params)], set(_TABLE.findall(sql))


def cached_count(queryset: QuerySet, count=None) -> int:
    """``queryset.count()``, from the cache while no table it reads has been written.

    ``count`` counts for real (default ``queryset.count``).
    """
    count_now = count or queryset.count
    ttl = seconds()
    if not ttl or queryset.query.is_sliced:
        return count_now()
    statement = _statement(queryset)
    if statement is None:  # e.g. ``pk__in=[]``: no statement at all
        return count_now()
    parts, tables = statement
    return _remembered("rows-count", parts, tables, count_now, ttl)


def cached_html(parts: list[str], querysets, render) -> str:
    """``render()``, from the cache while ``parts`` and what ``querysets`` read are unchanged."""
    ttl = seconds()
    if not ttl:
        return render()
    pieces, tables = list(parts), set()
    for queryset in querysets:
        statement = _statement(queryset) or (["none"], set())
        pieces += statement[0]
        tables |= statement[1]
    return _remembered("list-html", pieces, tables, lambda: str(render()), ttl)


def _page_key(queryset: QuerySet) -> str | None:
    """The cache key of the ids of one page of ``queryset``, or None when not to keep them."""
    query = queryset.query
    if (
        not seconds()
        or not query.is_sliced
        or query.combinator
        or query.select_for_update
        or queryset._iterable_class is not ModelIterable
    ):
        return None
    statement = _statement(queryset)
    if statement is None:
        return None
    parts, tables = statement
    return _key("page-ids", parts, tables)


class CountCachingQuerySet(QuerySet):
    """A queryset whose ``count()`` goes through :func:`cached_count`, and whose pages remember
    which rows they hold; other methods unchanged.

    Paginators (Django's, DRF's, django-tables2's) call ``count()`` on what they are given and
    slice it for a page; :func:`with_cached_count` hands them this class without changing what
    the rows are.

    A page (a sliced queryset) keeps the primary keys of its rows under its SQL and the versions
    of the tables it reads, like the counts. Read again, it asks for those rows by key, with the
    same filters and order: finding the 451st to 500th client of an agency walks thousands of
    index entries (30-45 ms at 200,000 clients under load), reading 50 rows by key about one.
    The rows themselves are always read live, and the query still carries the restriction and
    the filters, so a page kept from before a revoked grant or a changed value never shows a
    row the caller may no longer see or that no longer matches; a row deleted without a
    version change is simply missing from the page until the key expires.
    """

    def count(self) -> int:
        if self._result_cache is not None:
            return len(self._result_cache)
        return cached_count(self, super().count)

    def _fetch_all(self) -> None:
        if self._result_cache is not None:
            return super()._fetch_all()
        try:
            key = _page_key(self)
            ids = cache.get(key) if key else None
        except Exception:
            log.warning("list cache unavailable: reading the page without it")
            key = ids = None
        if ids is not None:
            query = self.query.chain()
            query.clear_limits()
            query.add_q(Q(pk__in=ids))
            self.query = query
        super()._fetch_all()
        if key and ids is None:
            try:
                cache.set(key, [row.pk for row in self._result_cache], seconds())
            except Exception:
                log.warning("list cache unavailable: page not kept")


_classes: dict[type, type] = {}


def with_cached_count(queryset):
    """``queryset`` whose ``count()`` is cached (see the module docstring); others unchanged."""
    if not isinstance(queryset, QuerySet) or isinstance(queryset, CountCachingQuerySet):
        return queryset
    base = type(queryset)
    cls = _classes.get(base)
    if cls is None:
        name = f"CountCaching{base.__name__}"
        cls = _classes[base] = type(name, (CountCachingQuerySet, base), {})
    clone = queryset._chain()
    clone.__class__ = cls
    return clone
