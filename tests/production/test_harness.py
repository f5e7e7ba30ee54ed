"""The harness keeps parallel stacks apart (a shared Redis db once let stacks steal tasks)."""

from tests.production.harness import redis_url_for_this_worker


def test_each_xdist_worker_gets_its_own_redis_db(monkeypatch):
    urls = set()
    for worker in ("gw0", "gw1", "gw2"):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
        urls.add(redis_url_for_this_worker())
    assert len(urls) == 3
    assert all(url.rsplit("/", 1)[1] not in {"0", "1"} for url in urls)
