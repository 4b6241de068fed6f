from django import template

from ..traffic_light import TrafficLight

register = template.Library()


@register.filter
def light_label(value: str) -> str:
    """The reader-language label of a traffic light given as its stored value."""
    return TrafficLight(value).label if value in TrafficLight.values else ""
