from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("filter/spara/", views.save_case_filter, name="save_filter"),
    path("filter/<int:filter_id>/ta-bort/", views.delete_case_filter, name="delete_filter"),
    path("nytt/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/redigera/", views.case_edit, name="edit"),
    path("<int:pk>/atgard/<slug:name>/", views.case_transition, name="transition"),
    path("<int:pk>/steg/<int:step_id>/", views.case_step, name="step"),
    path("<int:pk>/underskrift/", views.case_sign, name="sign"),
    path("<int:pk>/underskrift/be-om/", views.case_request_signatures, name="request_signatures"),
    path("<int:pk>/namnd-informerad/", views.case_board_notice, name="board_notice"),
    path("<int:pk>/underskrift/papper/<int:actor_id>/", views.case_paper_signature, name="paper_signature"),
    path("<int:pk>/underskrift/<int:signature_id>/dokument/", views.signature_document, name="signature_document"),
    path("<int:pk>/bilagor/", views.attachment_upload, name="upload"),
    path("<int:pk>/bilagor/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("<int:pk>/bilagor/<int:attachment_id>/ta-bort/", views.attachment_remove, name="remove_attachment"),
]
