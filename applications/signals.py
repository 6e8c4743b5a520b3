from django.dispatch import Signal

# Sent inside the transition's transaction, after the history entry: other apps react to a case's
# change of state (e.g. planning its reports) without the lifecycle knowing them.
# Arguments: case, name (the transition), user.
case_transitioned = Signal()
