from django.urls import path

from jobhelp.staff.views.materials import grid, imports, items, library, suggestions, titles

app_name = "materials"
urlpatterns = [
    # The materials library, a material's page, its file and confirmations.
    path("materials/", library.library, name="library"),
    path("materials/new/", items.upload, name="upload"),
    path("materials/month/", grid.grid, name="grid"),
    path("materials/<int:pk>/", items.detail, name="detail"),
    path("materials/<int:pk>/file/", library.download, name="download"),
    path("materials/<int:pk>/picture.png", library.picture, name="picture"),
    path("materials/<int:pk>/confirm/", items.confirm, name="confirm"),
    path("materials/<int:pk>/undo/", items.undo, name="undo"),
    path("materials/<int:pk>/withdraw/", items.withdraw, name="withdraw"),
    path(
        "materials/class-flyers/<int:pk>/file/",
        library.class_flyer_download,
        name="class_flyer",
    ),
    path(
        "materials/class-flyers/<int:pk>/picture.png",
        library.class_flyer_picture,
        name="class_flyer_picture",
    ),
    # Reference titles.
    path("titles/", titles.title_list, name="titles"),
    path("titles/titles.csv", titles.title_csv, name="titles_csv"),
    path("titles/new/", titles.title_new, name="title_new"),
    path("titles/<int:pk>/edit/", titles.title_edit, name="title_edit"),
    path("titles/<int:pk>/remove/", titles.title_remove, name="title_remove"),
    path("titles/import/", imports.import_start, name="import"),
    path("titles/import/confirm/", imports.import_confirm, name="import_confirm"),
    path("titles/shelf/", titles.shelf, name="shelf"),
    path("titles/suggestions/", suggestions.suggestions, name="suggestions"),
    path("titles/<int:pk>/order/", suggestions.order, name="order"),
    path("titles/orders/<int:pk>/received/", suggestions.received, name="received"),
    path("titles/orders/<int:pk>/cancel/", suggestions.cancel, name="cancel_order"),
]
