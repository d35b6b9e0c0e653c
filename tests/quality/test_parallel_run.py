"""The parallel run's machinery (tests/conftest.py, tests/dbtemplate.py): the scheduler runs every collected test
once, schemathesis' tests sharing one node id included, keeping each work unit on one worker; a worker waits for
the template database and uses it only once it is migrated."""

import json
from types import SimpleNamespace

import pytest

from tests import conftest, dbtemplate


class FakeWorker:
    """What the scheduler uses of xdist's WorkerController: it is sent test indexes, then shut down."""

    def __init__(self, name):
        self.name = name
        self.gateway = SimpleNamespace(id=name)
        self.sent = []
        self.shutting_down = False

    def send_runtest_some(self, indexes):
        self.sent.extend(indexes)

    def shutdown(self):
        self.shutting_down = True


def make_scheduler(tmp_path, monkeypatch, units, workers=2):
    path = tmp_path / "units.json"
    path.write_text(json.dumps(units))
    monkeypatch.setenv(conftest.UNITS, str(path))
    values = {"dist": "load", "tx": [f"{workers}*popen"]}
    config = SimpleNamespace(getvalue=values.get, option=SimpleNamespace(loadscopereorder=True))
    return conftest.pytest_xdist_make_scheduler(config, None)


def run(scheduler, collection, workers):
    """Drive the scheduler as xdist's DSession does: each worker runs what it is sent, in order."""
    for worker in workers:
        scheduler.add_node(worker)
    for worker in workers:
        scheduler.add_node_collection(worker, collection)
    scheduler.schedule()
    ran = {worker.name: [] for worker in workers}
    progress = True
    while progress:
        progress = False
        for worker in workers:
            done = len(ran[worker.name])
            if done < len(worker.sent):
                ran[worker.name].append(worker.sent[done])
                scheduler.mark_test_complete(worker, worker.sent[done])
                progress = True
    assert scheduler.tests_finished and not scheduler.has_pending
    return ran


def test_every_test_runs_once_even_under_a_shared_node_id(tmp_path, monkeypatch):
    schema = "tests/api/test_schema.py::test_api_conforms_to_its_schema"
    collection = [
        "tests/api/test_schema.py::test_schema_is_valid",
        *[schema] * 44,  # schemathesis: one test per API operation, one node id
        "tests/browser/test_map.py::test_map",
        "tests/quality/test_journeys_polish.py::test_polish",
        "tests/home/test_a.py::test_one",
        "tests/home/test_a.py::test_two",
        "tests/home/test_b.py::test_one",
    ]
    units = {nodeid: nodeid.split("::")[0] for nodeid in collection}
    units["tests/browser/test_map.py::test_map"] = units["tests/quality/test_journeys_polish.py::test_polish"] = (
        "live-site"
    )
    workers = [FakeWorker("gw0"), FakeWorker("gw1")]
    ran = run(make_scheduler(tmp_path, monkeypatch, units), collection, workers)

    assert sorted(ran["gw0"] + ran["gw1"]) == list(range(len(collection)))
    for unit in set(units.values()):
        indexes = {index for index, nodeid in enumerate(collection) if units[nodeid] == unit}
        assert indexes <= set(ran["gw0"]) or indexes <= set(ran["gw1"]), unit


def test_the_largest_units_go_first_and_one_test_units_keep_their_order(tmp_path, monkeypatch):
    collection = ["tests/a.py::t1", "tests/b.py::t1", "tests/b.py::t2", "tests/c.py::last1", "tests/c.py::last2"]
    units = {"tests/a.py::t1": "tests/a.py", "tests/b.py::t1": "tests/b.py", "tests/b.py::t2": "tests/b.py"}
    # c.py's tests are transactional: units of their own, collected last.
    scheduler = make_scheduler(tmp_path, monkeypatch, units, workers=1)
    worker = FakeWorker("gw0")
    ran = run(scheduler, collection, [worker])
    assert ran["gw0"] == [1, 2, 0, 3, 4]


def test_without_a_template_a_worker_migrates_its_own_database(monkeypatch):
    monkeypatch.delenv(dbtemplate.ENV, raising=False)
    assert dbtemplate.ready_template() is None


def test_a_worker_waits_for_the_migrated_template(tmp_path, monkeypatch):
    status = tmp_path / "template.status"
    monkeypatch.setenv(dbtemplate.ENV, f"test_cantine_template|{status}")
    monkeypatch.setattr(dbtemplate, "WAIT_SECONDS", 0.5)
    with pytest.raises(RuntimeError, match="was not migrated"):
        dbtemplate.ready_template()
    status.write_text("migrate exited with 1:\nrelation does not exist")
    with pytest.raises(RuntimeError, match="relation does not exist"):
        dbtemplate.ready_template()
    status.write_text("ok")
    assert dbtemplate.ready_template() == "test_cantine_template"


@pytest.mark.django_db
def test_test_databases_commit_without_waiting_for_the_disk():
    """tests/conftest.py sets PGOPTIONS for the whole session: a commit on a throwaway test database does not wait for
    its WAL to reach the disk (a transactional test, the live site and the template's migration commit often)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "off"
