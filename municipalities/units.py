"""Where a unit sits in the municipality's organisation: a nämnd and the förvaltningar,
verksamheter and kontor beneath it."""


def upwards(unit):
    """``unit`` and the units above it, nearest first (each once, even in a broken loop)."""
    node, seen = unit, set()
    while node is not None and node.pk not in seen:
        yield node
        seen.add(node.pk)
        node = node.parent


def is_within(unit, ancestor):
    """Whether ``unit`` is ``ancestor`` or lies beneath it (a förvaltning under its nämnd)."""
    return any(node.pk == ancestor.pk for node in upwards(unit))


def subtree_ids(unit):
    """The ids of ``unit`` and every unit beneath it, read in one query."""
    children = {}
    for pk, parent_id in unit.municipality.units.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, todo = set(), [unit.pk]
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return found
