from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def in_language(name: str, name_en: str) -> str:
    """The name to show in the active language: English for any en-*, Chinese otherwise."""
    return name_en if (get_language() or "").startswith("en") else name


class BilingualName(models.Model):
    """Rows whose name is data (seeded in both languages), not a translatable string in code."""

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=64)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_language(self.name, self.name_en)


class Category(BilingualName):
    """Two-level live-commerce taxonomy (e.g. 美妆个护 › 面膜). Products sit on the second level."""

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["parent_id", "position", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class IndustrialBelt(BilingualName):
    """An industrial cluster (产业带) such as 景德镇陶瓷 or 义乌小商品: where goods of a kind are made."""

    province = models.CharField(_("province"), max_length=32)
    city = models.CharField(_("city"), max_length=32)

    class Meta:
        ordering = ["province", "city", "id"]
        verbose_name = _("industrial belt")
        verbose_name_plural = _("industrial belts")
