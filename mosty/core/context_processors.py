from mosty.core.i18n import enabled_languages, text_direction
from mosty.core.models import City
from mosty.core.navigation import nav_for


def mosty(request):
    """Values every page needs: the city, its languages and the text direction."""
    city = getattr(request, "_mosty_city", None)
    if city is None:
        city = request._mosty_city = City.current()
    return {
        "mosty_city": city,
        "mosty_languages": enabled_languages(city),
        "text_direction": text_direction(),
        "mosty_nav": lambda: nav_for(request.user),
    }
