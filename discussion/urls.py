from django.urls import path

from . import views

app_name = "discussion"
urlpatterns = [
    path("<int:pk>/kommentarer/", views.comment_post, name="post"),
    path("<int:pk>/kommentarer/<int:comment_id>/svar/", views.comment_reply, name="reply"),
    path("<int:pk>/kommentarer/<int:comment_id>/andra/", views.comment_edit, name="edit"),
    path("<int:pk>/kommentarer/bilagor/<int:attachment_id>/", views.attachment_download, name="attachment"),
]
