"""Human labels for audit actions and states. Each app registers its own in AppConfig.ready(),
so the history reads in the user's language without the audit app knowing every domain."""

_ACTIONS = {}
_STATES = {}


def register_actions(labels):
    _ACTIONS.update(labels)


def register_states(choices, prefix=""):
    """``prefix`` keeps apart states of different things that share a value ("submitted")."""
    _STATES.update({f"{prefix}{value}": label for value, label in choices.choices})


def action_label(action):
    return _ACTIONS.get(action, action)


def state_label(state):
    return _STATES.get(state, state)
