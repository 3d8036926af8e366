"""The demo county's materials as its people see them on the staff pages: the liaison's grid
names the two branches that have not posted, Northtown's front desk finds the center's flyer
and its brochures, the library's manager sees the suggestions with their marks, and the
center's shelf of library resources prints."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


@pytest.fixture
def people(db):
    call_command("seed_demo", "--force", verbosity=0)
    return {u.username: u for u in get_user_model().objects.all()}


def page(client, user, path: str) -> str:
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_demo_s_materials_pages(client, people):
    grid = page(client, people["lbrooks"], "/staff/materials/month/")
    assert "Not posted yet: Oak Hill Library, Pine Ridge Community Library" in grid

    library = page(client, people["kpatel"], "/staff/materials/")
    assert library.count('class="usa-card tablet:grid-col-4"') == 3
    assert "From Riverbend County WorkForce Center" in library

    suggestions = page(client, people["mgarcia"], "/staff/titles/suggestions/")
    assert suggestions.count("Mark ordered") > 10
    assert ">Received<" in suggestions and ">Ordered<" in suggestions

    shelf = page(client, people["lbrooks"], "/staff/titles/shelf/")
    assert "13 titles" in shelf
