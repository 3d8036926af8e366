from django.urls import path

from jobhelp.staff.views.crosstraining import cards, materials, matrix, records, trainings

app_name = "crosstraining"
urlpatterns = [
    path("training/", trainings.training_list, name="trainings"),
    path("training/new/", trainings.training_new, name="training_new"),
    path("training/<int:pk>/", trainings.training_detail, name="training"),
    path("training/<int:pk>/materials/new/", materials.material_new, name="material_new"),
    path("training/materials/<int:pk>/", materials.material_download, name="material"),
    path(
        "training/materials/<int:pk>/remove/",
        materials.material_remove,
        name="material_remove",
    ),
    path("training/mine/", records.my_record, name="mine"),
    path("training/records/new/", records.record_new, name="record_new"),
    path("training/matrix/", matrix.matrix, name="matrix"),
    path("training/requirements/new/", matrix.requirement_new, name="requirement_new"),
    path(
        "training/requirements/<int:pk>/remove/",
        matrix.requirement_remove,
        name="requirement_remove",
    ),
    path("training/cards/", cards.pool, name="pool"),
    path("training/cards/new/", cards.card_new, name="card_new"),
    path("training/cards/<int:pk>/", cards.card_detail, name="card"),
    path(
        "training/cards/loans/<int:pk>/<slug:how>/",
        cards.loan_end,
        name="loan_end",
    ),
]
