from django.urls import path

from jobhelp.staff.views import routing

app_name = "routing"
urlpatterns = [
    path("routing/", routing.routing_list, name="list"),
    path("routing/new/", routing.routing_new, name="new"),
    path("routing/<int:pk>/edit/", routing.routing_edit, name="edit"),
    path("routing/<int:pk>/delete/", routing.routing_delete, name="delete"),
    path("routing/<int:pk>/move/", routing.routing_move, name="move"),
]
