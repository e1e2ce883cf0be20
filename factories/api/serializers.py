"""Output serializers shared by the factory and product endpoints (inputs live next to each view)."""

from decimal import Decimal
from typing import Any

from django.db.models.fields.files import FieldFile
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.api.output import OutputModelSerializer
from marketplace.money import half_price

from ..models import (
    Category,
    Factory,
    FactoryPhoto,
    Product,
    ProductImage,
    ProductRevision,
    VerificationCheck,
)
from ..selectors import product_revision_shown_to
from ..validators import MAX_TIER_QUANTITY


class CategorySerializer(serializers.ModelSerializer):
    # (`parent` is also Field's link to its serializer; the stubs type it so.)
    parent: serializers.SlugRelatedField = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="The parent category's slug; null for a top-level category.",
    )

    class Meta:
        model = Category
        fields = ["slug", "name", "name_en", "parent"]


class FactoryMetricsSerializer(serializers.Serializer):
    response_rate = serializers.DecimalField(max_digits=4, decimal_places=3, allow_null=True)
    median_response_hours = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    trial_conversion_rate = serializers.DecimalField(max_digits=4, decimal_places=3, allow_null=True)
    return_rate = serializers.DecimalField(max_digits=4, decimal_places=3, allow_null=True)
    average_rating = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
    trials_completed = serializers.IntegerField()
    # The counts behind the rates: a rate from 2 trials is not a rate from 200 (matching weighs them).
    trials_reported = serializers.IntegerField(help_text="Trials whose streamer reported sales and returns.")
    trials_decided = serializers.IntegerField(help_text="Reported trials then converted or ended.")
    trials_converted = serializers.IntegerField(help_text="Trials that turned into bulk orders.")
    units_sold = serializers.IntegerField()
    units_returned = serializers.IntegerField()
    requests_answered = serializers.IntegerField()
    requests_expired = serializers.IntegerField()
    trials_failed_to_ship = serializers.IntegerField(
        help_text="Paid trials the factory never shipped, which staff cancelled and refunded."
    )
    # Video tours (the tours app): the streamers' 1-5 ratings after their calls.
    tour_rating = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
    tours_rated = serializers.IntegerField(help_text="Video tours rated by their streamer.")


class FactoryOutputSerializer(OutputModelSerializer):
    industrial_belt: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="An industrial belt's slug, or null."
    )
    industrial_belt_name = serializers.SerializerMethodField()
    categories: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    metrics = FactoryMetricsSerializer(read_only=True)
    photos = serializers.SerializerMethodField()
    licence_uploaded = serializers.SerializerMethodField()
    verification_checks = serializers.ListField(
        child=serializers.ChoiceField(choices=VerificationCheck.choices),
        read_only=True,
        help_text="What staff checked on the last verification: business_licence, site_visit, video_tour.",
    )
    verification_current = serializers.BooleanField(
        read_only=True,
        help_text="Verified and not lapsed: a lapsed verification shows no badge and no super tier.",
    )

    class Meta:
        model = Factory
        fields = [
            "id",
            "name",
            "province",
            "city",
            "industrial_belt",
            "industrial_belt_name",
            "categories",
            "description",
            "established_year",
            "staff_count",
            "monthly_capacity",
            "customization",
            "accepts_trials",
            "max_trial_quantity",
            "trial_days",
            "deposit_percent",
            "credit_code",
            "verification_status",
            "tier",
            "status_reason",
            "verified_at",
            "verification_checks",
            "verification_expires_at",
            "verification_current",
            "metrics",
            "video_url",
            "photos",
            "licence_uploaded",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_photos(self, factory: Factory) -> Any:
        """Workshop photos: [{id, url, thumbnail_url, width, height, caption}], in their order."""
        return FactoryPhotoSerializer(factory.photos.all(), many=True, context=self.context).data

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_licence_uploaded(self, factory: Factory) -> bool | None:
        """For the factory and staff: whether the business licence is on file; null for others."""
        user = getattr(self.context.get("request"), "user", None)
        if user is None or not (
            user.is_authenticated and (user.is_staff_member or factory.owner_id == user.pk)
        ):
            return None
        return bool(factory.licence_image)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_industrial_belt_name(self, factory: Factory) -> str | None:
        return factory.industrial_belt.display_name if factory.industrial_belt else None


class ProductImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = ProductImage
        fields = ["id", "url", "thumbnail_url", "width", "height"]

    def _absolute(self, file: FieldFile) -> str:
        request = self.context.get("request")
        url: str = request.build_absolute_uri(file.url) if request else file.url
        return url

    def get_url(self, image: ProductImage) -> str:
        return self._absolute(image.image)

    def get_thumbnail_url(self, image: ProductImage) -> str:
        return self._absolute(image.thumbnail)


class FactoryPhotoSerializer(ProductImageSerializer):
    class Meta:
        model = FactoryPhoto
        fields = ["id", "url", "thumbnail_url", "width", "height", "caption"]


class ProductImageAddedSerializer(ProductImageSerializer):
    """The answer to an upload: the photo, and whether buyers see it yet."""

    awaiting_review = serializers.SerializerMethodField(
        help_text="true when the listing is live: the photo waits in the listing's revision until "
        "staff approve it (see `revision` on the product)."
    )

    class Meta(ProductImageSerializer.Meta):
        fields = [*ProductImageSerializer.Meta.fields, "awaiting_review"]

    def get_awaiting_review(self, image: ProductImage) -> bool:
        return image.revision_id is not None


class ProductRevisionSerializer(serializers.ModelSerializer):
    """Changes of a live listing waiting for staff (or the last decision on them, with its reason)."""

    changes = serializers.DictField(
        help_text="Proposed values of title, description, category (slug), factory_price (decimal "
        "string), price_tiers and attributes; the live listing keeps its approved values until approval."
    )
    images = serializers.SerializerMethodField(help_text="New photos waiting for approval.")

    class Meta:
        model = ProductRevision
        fields = ["id", "status", "changes", "images", "reason", "created_at", "decided_at"]

    @extend_schema_field(ProductImageSerializer(many=True))
    def get_images(self, revision: ProductRevision) -> Any:
        photos = getattr(revision, "proposed_images", None)
        if photos is None:
            photos = ProductImage.all_objects.filter(revision=revision)
        return ProductImageSerializer(photos, many=True, context=self.context).data


class PriceTierSerializer(serializers.Serializer):
    min_quantity = serializers.IntegerField(min_value=2, max_value=MAX_TIER_QUANTITY)
    unit_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("9999999.99")
    )


PRICE_TIERS_HELP = (
    "Volume prices above the MOQ (阶梯价), e.g. 500+ at 10.50, 2,000+ at 9.80: quantities rising above "
    "`moq`, prices never above `factory_price` nor rising; at most 5. The first tier is always `moq` "
    "at `factory_price`; a bulk order pays the tier of its quantity."
)


class ProductOutputSerializer(OutputModelSerializer):
    factory: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    price_tiers = PriceTierSerializer(many=True, read_only=True, help_text=PRICE_TIERS_HELP)
    factory_name = serializers.CharField(source="factory.name", read_only=True)
    category: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    category_name = serializers.CharField(source="category.display_name", read_only=True)
    trial_eligible = serializers.SerializerMethodField()
    trial_unit_price = serializers.SerializerMethodField()
    images = ProductImageSerializer(many=True, read_only=True)
    revision = serializers.SerializerMethodField(
        help_text="For the listing's factory and staff: changes waiting for review (the listing "
        "shows its approved values meanwhile) or the last decision on them; null for everyone else."
    )

    class Meta:
        model = Product
        fields = [
            "id",
            "factory",
            "factory_name",
            "title",
            "description",
            "category",
            "category_name",
            "factory_price",
            "trial_unit_price",
            "moq",
            "lead_time_days",
            "customizable",
            "trial_eligible",
            "price_tiers",
            "attributes",
            "status",
            "status_reason",
            "images",
            "revision",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(ProductRevisionSerializer(allow_null=True))
    def get_revision(self, product: Product) -> dict | None:
        revision = product_revision_shown_to(getattr(self.context.get("request"), "user", None), product)
        return ProductRevisionSerializer(revision, context=self.context).data if revision else None

    @extend_schema_field(serializers.BooleanField())
    def get_trial_eligible(self, product: Product) -> bool:
        return product.open_for_trials

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True))
    def get_trial_unit_price(self, product: Product) -> str | None:
        """五折 price a buyer would pay for a trial, shown so nobody has to compute it."""
        return f"{half_price(product.factory_price)}" if self.get_trial_eligible(product) else None
