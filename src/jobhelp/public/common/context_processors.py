from django.conf import settings
from django.utils.functional import SimpleLazyObject

from jobhelp.organizations.queries import public_organization


def site(request):
    """The name in the page header: the library's, falling back to the site's."""

    def header_name():
        organization = public_organization(settings.PUBLIC_ORGANIZATION_SLUG)
        return organization.name if organization else settings.SITE_NAME

    return {"site_name": settings.SITE_NAME, "header_name": SimpleLazyObject(header_name)}
