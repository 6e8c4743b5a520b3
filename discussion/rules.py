"""Who may read and write which comments. Reaching the case at all is decided by
Case.objects.visible_to; these predicates decide what happens once there."""

import rules

from accounts.rules import is_staff_member

# Staff of the municipality (anyone with a role besides applicant) and system admins.
sees_internal_comments = is_staff_member


@rules.predicate
def is_comment_author(user, comment):
    return user.is_authenticated and comment is not None and comment.author_id == user.pk


rules.add_perm("discussion.see_internal", sees_internal_comments)
rules.add_perm("discussion.edit_comment", is_comment_author)
