"""Locust users for ``bench/load_bench.py`` (issue 8, item 5); not run on its own.

Four roles of a configured CoC, as the load bench prepared them (``$BENCH_LOAD_DATA``: per role
an API token, a session cookie, and ids of clients, enrollments and flags the role may see):
the CoC HMIS administrator, an agency HMIS administrator / data-quality manager, agency program
staff and an agency executive. Each mixes API list and detail reads, page views and (the two
roles allowed to act on flags) flag status changes. Every request carries its name in
``X-Bench-Name`` so the server-side statement counts (``bench/gunicorn_sql.py``) join the
locust figures.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, between, task

DATA = json.loads(open(os.environ["BENCH_LOAD_DATA"]).read())  # noqa: SIM115
PAGES = 10  # list reads ask for one of the first PAGES pages


class Role(HttpUser):
    abstract = True
    role = ""
    wait_time = between(0.2, 1.0)

    def on_start(self):
        me = DATA["users"][self.role]
        self.me = me
        self.flags = itertools.cycle(me["flags"]) if me["flags"] else None
        self.flag_status: dict[int, str] = {}
        self.client.headers["Accept"] = "application/json"

    def api(self, method: str, name: str, path: str, body=None):
        headers = {"Authorization": f"Token {self.me['token']}", "X-Bench-Name": name}
        return self.client.request(method, path, json=body, name=name, headers=headers)

    def page(self, name: str, path: str):
        headers = {
            "Cookie": f"sessionid={self.me['session']}",
            "Accept": "text/html",
            "X-Bench-Name": name,
        }
        return self.client.get(path, name=name, headers=headers)

    # API reads
    @task(4)
    def api_clients(self):
        self.api("GET", "api clients list", f"/api/v1/clients/?page={random.randint(1, PAGES)}")

    @task(4)
    def api_client(self):
        self.api(
            "GET", "api client detail", f"/api/v1/clients/{random.choice(self.me['clients'])}/"
        )

    @task(3)
    def api_enrollments(self):
        page = random.randint(1, PAGES)
        self.api("GET", "api enrollments list", f"/api/v1/enrollments/?page={page}")

    @task(3)
    def api_enrollment(self):
        pk = random.choice(self.me["enrollments"])
        self.api("GET", "api enrollment detail", f"/api/v1/enrollments/{pk}/")

    @task(3)
    def api_flags(self):
        self.api("GET", "api flags list", "/api/v1/dq/flags/?status=open")

    @task(2)
    def api_flag(self):
        if self.me["flags"]:
            self.api(
                "GET", "api flag detail", f"/api/v1/dq/flags/{random.choice(self.me['flags'])}/"
            )

    # Pages
    @task(1)
    def dashboard(self):
        self.page("page dashboard", "/")

    @task(2)
    def client_list(self):
        self.page("page clients", "/records/clients/")

    @task(2)
    def client_page(self):
        self.page("page client", f"/records/clients/{random.choice(self.me['clients'])}/")

    @task(1)
    def enrollment_list(self):
        self.page("page enrollments", "/records/enrollments/")

    @task(2)
    def inbox(self):
        self.page("page flags inbox", "/data-quality/")

    @task(1)
    def flag_page(self):
        if self.me["flags"]:
            self.page("page flag", f"/data-quality/flags/{random.choice(self.me['flags'])}/")

    # Writes
    @task(2)
    def flag_update(self):
        if not (self.me["act"] and self.flags):
            return
        pk = next(self.flags)
        status = "open" if self.flag_status.get(pk) == "in_review" else "in_review"
        response = self.api(
            "PATCH", "api flag update", f"/api/v1/dq/flags/{pk}/", {"status": status}
        )
        if response.ok:
            self.flag_status[pk] = status


class CocAdmin(Role):
    role = "cocadmin"
    weight = 1


class DataQualityManager(Role):
    role = "dqm"
    weight = 3


class ProgramStaff(Role):
    role = "staff"
    weight = 3


class Executive(Role):
    role = "director"
    weight = 1
