"""`python manage.py eval_match`: precision@10, graded NDCG@10 and the bad-record share of matching
on a generated market whose factories have real trial histories, next to a catalog baseline."""

import time

from django.core.management.base import BaseCommand

from demo.trial_histories import make_trial_histories
from search.evaluation import Scale, run


class Command(BaseCommand):
    help = "Evaluate matches/products on a generated market with known answers (rolled back afterwards)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--factories", type=int, default=Scale.factories)
        parser.add_argument("--buyers", type=int, default=Scale.buyers)

    def handle(self, *args, seed, factories, buyers, **options):
        started = time.monotonic()
        r = run(Scale(factories=factories, buyers=buyers), seed=seed, histories=make_trial_histories)
        self.stdout.write(
            f"matches/products on {r['products']} products of {factories} factories "
            f"({r['factories_good']} with a good trial record, {r['factories_bad']} with a bad one, "
            f"the rest none); {r['streamers_judged']}/{r['streamers']} streamers judged "
            f"(those with ≥ 10 right answers); {time.monotonic() - started:.0f} s\n"
            f"{'':22}{'precision@10':>14}{'NDCG@10':>10}{'bad-record share':>18}\n"
            f"{'matching':22}{r['precision']:>14.3f}{r['ndcg']:>10.3f}{r['bad_share']:>18.1%}\n"
            f"{'baseline (catalog)':22}{r['baseline_precision']:>14.3f}{r['baseline_ndcg']:>10.3f}"
            f"{r['baseline_bad_share']:>18.1%}\n"
            "targets: NDCG@10 ≥ 0.95, precision@10 ≥ 0.95, bad-record share ≤ 5%"
        )
