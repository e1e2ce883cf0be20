"""The mix issue 11 asks for: 55% search, 30% product pages and lists, 15% trial create + cancel.

Every simulated user is one demo streamer (its API token); pages are read anonymously like a
visitor would. The fixture comes from prepare.py (LOAD_FIXTURE).

FastHttpUser (geventhttpclient) rather than HttpUser (requests): the generator runs on the same two
cores as the stack it measures, and it spends about a fifth of the CPU per request.

Two ways to load: by default each user sends its next request as soon as the last one is answered
(after a 0-50 ms pause), so the run finds how many requests the stack answers at most, with every
core busy and every request queueing. With LOAD_RATE (requests/s over all LOAD_USERS users) each
user is paced instead, and the run says how fast requests are answered at that rate: the latency a
service level is stated at, which a saturated run cannot show (its latency is its queue).
"""

import json
import os
import random

from locust import FastHttpUser, between, constant_throughput, task

with open(os.environ["LOAD_FIXTURE"]) as fixture:
    FIXTURE = json.load(fixture)


class Streamer(FastHttpUser):
    # A busy client, not a think-time model: we measure the server. The pause is short (0-50 ms,
    # LOAD_WAIT_MAX): with 50-200 ms, 20 users could not send more than ~150 requests/s however
    # fast the server answered (20 / (125 ms + latency)), so the run measured the clients.
    wait_time = between(0.0, float(os.environ.get("LOAD_WAIT_MAX", "0.05")))

    def on_start(self):
        # English answers: the check below reads the "open trial" refusal by its text (the default
        # language is Chinese, and that refusal was counted as an error).
        self.auth = {"Authorization": f"Token {random.choice(FIXTURE['tokens'])}", "Accept-Language": "en"}

    @task(40)
    def search_api(self):
        self.client.get(
            "/api/v1/search/products/",
            params={"q": random.choice(FIXTURE["words"]), "page": random.choice([1, 1, 2])},
            name="search api",
        )

    @task(15)
    def search_page(self):
        self.client.get("/search/", params={"q": random.choice(FIXTURE["words"])}, name="search page")

    @task(18)
    def product_page(self):
        self.client.get(f"/products/{random.choice(FIXTURE['products'])}/", name="product page")

    @task(12)
    def product_list(self):
        self.client.get("/api/v1/products/", params={"page": random.randint(1, 5)}, name="product list api")

    @task(15)
    def trial_create_cancel(self):
        product = random.choice(FIXTURE["products"])
        with self.client.post(
            "/api/v1/trials/",
            json={"product": product, "quantity": 1},
            headers=self.auth,
            name="trial create",
            catch_response=True,
        ) as created:
            if created.status_code == 400 and "open trial" in created.text:
                # Two of this streamer's simulated users picked the same product at once: the rule
                # "one open trial per buyer and product" answered, which is correct, not an error.
                created.success()
                return
            if created.status_code != 201:
                created.failure(f"{created.status_code} {created.text[:160]}")  # the reason, in the report
                return
        if created.status_code == 201:
            self.client.post(
                f"/api/v1/trials/{created.json()['id']}/cancel/", headers=self.auth, name="trial cancel"
            )


if os.environ.get("LOAD_RATE"):
    # Pace tasks so that requests/s come out at LOAD_RATE: a trial task sends two requests.
    requests_per_task = sum(2 if t is Streamer.trial_create_cancel else 1 for t in Streamer.tasks) / len(
        Streamer.tasks
    )
    tasks_per_user = float(os.environ["LOAD_RATE"]) / int(os.environ["LOAD_USERS"]) / requests_per_task
    Streamer.wait_time = constant_throughput(tasks_per_user)
