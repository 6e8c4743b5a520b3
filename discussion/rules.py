"""Who may read and write which comments. Reaching the case at all is decided by
Case.objects.visible_to; these predicates decide what happens once there."""

import rules


@rules.predicate
def sees_internal_comments(user):
    """Staff of the municipality (anyone with a role besides applicant) and system admins."""
    return user.is_authenticated and user.is_staff_member


@rules.predicate
def is_comment_author(user, comment):
    return user.is_authenticated and comment is not None and comment.author_id == user.pk


rules.add_perm("discussion.see_internal", sees_internal_comments)
rules.add_perm("discussion.edit_comment", is_comment_author)
