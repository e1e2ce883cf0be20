"""`python manage.py eval_match`: precision@10 / NDCG@10 of matching vs a category-only baseline."""

from django.core.management.base import BaseCommand

from search.evaluation import Scale, run


class Command(BaseCommand):
    help = "Evaluate matches/products on a generated market with known answers (rolled back afterwards)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--factories", type=int, default=Scale.factories)
        parser.add_argument("--buyers", type=int, default=Scale.buyers)

    def handle(self, *args, seed, factories, buyers, **options):
        r = run(Scale(factories=factories, buyers=buyers), seed=seed)
        self.stdout.write(
            f"matches/products on {r['products']} products, {r['streamers_judged']}/{r['streamers']} streamers"
            " judged (those with ≥ 10 right answers)\n"
            f"{'':22}{'precision@10':>14}{'NDCG@10':>10}\n"
            f"{'matching':22}{r['precision']:>14.3f}{r['ndcg']:>10.3f}\n"
            f"{'baseline (category)':22}{r['baseline_precision']:>14.3f}{r['baseline_ndcg']:>10.3f}\n"
            f"ratio precision {r['precision'] / max(r['baseline_precision'], 1e-9):.1f}×, "
            f"NDCG {r['ndcg'] / max(r['baseline_ndcg'], 1e-9):.1f}×"
        )
