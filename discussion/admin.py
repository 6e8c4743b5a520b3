from django.contrib import admin

from .models import Comment, CommentAttachment, CommentRevision


class CommentRevisionInline(admin.TabularInline):
    model = CommentRevision
    extra = 0
    fields = ["edited_at", "edited_by", "text"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # revisions are written by edit_comment only


class CommentAttachmentInline(admin.TabularInline):
    model = CommentAttachment
    extra = 0
    fields = ["original_name", "size", "content_type"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["case", "author", "visibility", "created_at", "edited_at"]
    list_filter = ["visibility", "case__municipality"]
    list_select_related = ["case", "author"]
    readonly_fields = ["case", "parent", "author", "visibility", "text", "created_at", "edited_at"]
    inlines = [CommentRevisionInline, CommentAttachmentInline]

    def has_add_permission(self, request):
        return False  # comments are written on the case page, through the services

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
