"""What "fit" means, written once: both backends filter / rank with these rules and explain with them.

Each hard rule knows how to test a document in Python (`ok`, used for the reasons and the final
order), how to say it as a database filter (`q`, over search/models.py) and as an Elasticsearch
query clause (`es`). Ranking is lexicographic: fewer missed hard rules first, then quality
(the trial record shrunk towards the marketplace's prior, outcomes.py; a
small share for a super factory) plus a bonus for the same province, then id for a stable order.
"""

from .needs import REGION_BONUS, BuyerNeeds, FactoryOffer
from .outcomes import buyer_figures, factory_figures
from .rules import BUYER_FOR_FACTORY, FACTORY_FOR_BUYER, PRODUCT_FOR_BUYER, Rule
from .scoring import Fit, buyer_quality, evaluate, factory_quality, rank, region_bonus

__all__ = [
    "BUYER_FOR_FACTORY",
    "FACTORY_FOR_BUYER",
    "PRODUCT_FOR_BUYER",
    "REGION_BONUS",
    "BuyerNeeds",
    "FactoryOffer",
    "Fit",
    "Rule",
    "buyer_figures",
    "buyer_quality",
    "evaluate",
    "factory_figures",
    "factory_quality",
    "rank",
    "region_bonus",
]
