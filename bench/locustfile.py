"""One page under load: `BENCH_PATH` requested back to back by every simulated user (no think time), so the
number of users is the number of concurrent connections. Run by bench/run_all.py, headless."""

import os

from locust import FastHttpUser, constant, task

PATH = os.environ.get("BENCH_PATH", "/")


class PageVisitor(FastHttpUser):
    wait_time = constant(0)

    @task
    def fetch(self) -> None:
        with self.client.get(PATH, name=PATH, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
