from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from reviews.models import Region

from .selectors import REGION_MAP_CACHE_KEY


def _forget_region_map(**kwargs) -> None:
    cache.delete(REGION_MAP_CACHE_KEY)


def connect() -> None:
    post_save.connect(_forget_region_map, sender=Region, dispatch_uid="stakeholders.region_map.save")
    post_delete.connect(_forget_region_map, sender=Region, dispatch_uid="stakeholders.region_map.delete")
