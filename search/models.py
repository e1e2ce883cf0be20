"""The database backend's own index: one denormalized row per public product / factory / streamer.

These rows are written only by the indexing task (search/indexing.py), exactly as the
Elasticsearch index is, so both backends see the same documents and "indexing" means the same
work. `terms` holds space-separated index terms (search/text.py); on PostgreSQL `search_vector`
is built from them (weights: A title/name, B category/factory/belt names, C description).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class BaseDocument(models.Model):
    title = models.CharField(max_length=200)
    terms = models.TextField(default="")  # " term term … " (leading/trailing space for LIKE on SQLite)
    terms_a = models.TextField(default="")
    terms_b = models.TextField(default="")
    terms_c = models.TextField(default="")
    search_vector = SearchVectorField(null=True)
    province = models.CharField(max_length=32, blank=True)
    quality = models.FloatField(default=0)  # doc-only part of the fit score (search/fit.py)
    created_at = models.DateTimeField()
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class FactoryFields(models.Model):
    """The factory's record, copied so ranking and reasons need no join."""

    factory_name = models.CharField(max_length=120, default="")
    industrial_belt = models.CharField(max_length=64, blank=True)
    tier = models.CharField(max_length=16, default="standard")
    verified = models.BooleanField(default=True)
    # The figures of the trial record (search/fit/outcomes.py); read back for reasons, not queried.
    record = models.JSONField(default=dict)

    class Meta:
        abstract = True


class ProductDocument(BaseDocument, FactoryFields):
    product = models.OneToOneField(
        "factories.Product", primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    factory_pk = models.BigIntegerField(db_index=True)
    category_slug = models.CharField(max_length=64)
    parent_category_slug = models.CharField(max_length=64, blank=True)
    category_name = models.CharField(max_length=64, default="")
    category_name_en = models.CharField(max_length=64, default="")
    factory_price = models.DecimalField(max_digits=12, decimal_places=2)
    moq = models.PositiveIntegerField()
    customizable = models.BooleanField()
    trial_eligible = models.BooleanField()

    class Meta:
        indexes = [
            models.Index(fields=["category_slug", "factory_price"], name="search_pd_cat_price"),
            models.Index(fields=["parent_category_slug"], name="search_pd_parent"),
            models.Index(fields=["-quality", "-created_at", "product"], name="search_pd_quality"),
            # Relevance's order after the title tier (quality, then id): a capped keyword search
            # walks it (search/backends/database/capped.py).
            models.Index(fields=["-quality", "product"], name="search_pd_rank"),
            models.Index(fields=["-created_at", "product"], name="search_pd_newest"),
            models.Index(fields=["factory_price", "product"], name="search_pd_price"),
        ]


class ProductSearchColumns(models.Model):
    """What a product search filters and counts on, in both PostgreSQL copies of a product
    (ProductText, ProductFilter); the same filter Q runs on either."""

    moq = models.IntegerField()
    verified = models.BooleanField()
    customizable = models.BooleanField()
    trial_eligible = models.BooleanField()
    factory_price = models.DecimalField(max_digits=12, decimal_places=2)
    # Which price range / MOQ ceiling of search/range_facets.py the product is in, computed by
    # the writer: counting the range facets then compares small integers, not numerics.
    price_range = models.PositiveSmallIntegerField(default=0)
    moq_step = models.PositiveSmallIntegerField(default=0)
    # No database constraint or index: the writer inserts the combination first, and nothing
    # looks rows up by it (counts group by it in a scan).
    facet = models.ForeignKey(
        "FacetCombo", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )

    class Meta:
        abstract = True


class ProductText(ProductSearchColumns):
    """The products' tsvector, with everything a keyword search reads besides it (PostgreSQL only).

    A query is answered from this table alone: the text index finds the rows, and the same rows
    carry the filter, facet and ranking columns, so a broad word (a tenth of the catalogue) costs
    one pass over its hits instead of a second lookup of each hit in another table. The tsvector
    (~0.4 KB a row) is kept out of the document table, whose filter / sort scans it would slow down.
    """

    document = models.OneToOneField(
        ProductDocument, primary_key=True, on_delete=models.CASCADE, related_name="text"
    )
    quality = models.FloatField()
    created_at = models.DateTimeField()
    # search.text.normalize(title): "all the words in the title" is a plain LIKE, no case folding per row.
    title_folded = models.CharField(max_length=200)
    search_vector = SearchVectorField(null=True)

    def __str__(self) -> str:
        return str(self.document_id)


class FacetCombo(models.Model):
    """One (category, province, industrial belt) combination some product has had (PostgreSQL
    only; a few thousand at most, never deleted: a combination no product has counts nothing)."""

    category_slug = models.CharField(max_length=64)
    parent_category_slug = models.CharField(max_length=64, blank=True)
    province = models.CharField(max_length=32, blank=True)
    industrial_belt = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["category_slug", "parent_category_slug", "province", "industrial_belt"],
                name="search_facetcombo_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_slug}/{self.province}/{self.industrial_belt}"


class ProductFilter(ProductSearchColumns):
    """What a search without a query counts on, in a narrow row (PostgreSQL only): such a search
    counts every product that passes the filters, and a ~50-byte row of fixed-width columns plus
    one integer for the facets (search/backends/database/combos.py) makes that scan cheap. Its
    page is read off the document table's sort indexes, so nothing here sorts; no index besides
    the key, so indexing writes little.
    """

    document = models.OneToOneField(
        ProductDocument, primary_key=True, on_delete=models.CASCADE, related_name="filter_row"
    )

    def __str__(self) -> str:
        return str(self.document_id)


class FactoryDocument(BaseDocument, FactoryFields):
    factory = models.OneToOneField(
        "factories.Factory", primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    customization = models.CharField(max_length=8, default="none")
    customizable = models.BooleanField(default=False)
    accepts_trials = models.BooleanField(default=True)
    # Over the factory's public products; null when it has none yet.
    price_min = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    price_max = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    moq_min = models.PositiveIntegerField(null=True)
    product_count = models.PositiveIntegerField(default=0)


class FactoryDocumentCategory(models.Model):
    document = models.ForeignKey(FactoryDocument, on_delete=models.CASCADE, related_name="category_rows")
    slug = models.CharField(max_length=64)
    own = models.BooleanField(default=True)  # chosen by the factory (facets count these), not implied

    class Meta:
        indexes = [models.Index(fields=["slug", "document"], name="search_fdc_slug")]

    def __str__(self) -> str:
        return self.slug


class BuyerDocument(BaseDocument):
    buyer = models.OneToOneField(
        "buyers.BuyerProfile", primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    price_min = models.DecimalField(max_digits=12, decimal_places=2)
    price_max = models.DecimalField(max_digits=12, decimal_places=2)
    units_per_session = models.PositiveIntegerField(default=0)
    needs_customization = models.BooleanField(default=False)
    followers = models.BigIntegerField(default=0)
    record = models.JSONField(default=dict)  # the streamer's trial record (search/fit/outcomes.py)


class BuyerDocumentCategory(models.Model):
    document = models.ForeignKey(BuyerDocument, on_delete=models.CASCADE, related_name="category_rows")
    slug = models.CharField(max_length=64)
    own = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["slug", "document"], name="search_bdc_slug")]

    def __str__(self) -> str:
        return self.slug
