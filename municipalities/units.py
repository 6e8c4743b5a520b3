"""Where a unit sits in the municipality's organisation: a nämnd and the förvaltningar,
verksamheter and kontor beneath it."""


def is_within(unit, ancestor):
    """Whether ``unit`` is ``ancestor`` or lies beneath it (a förvaltning under its nämnd)."""
    node = unit
    seen = set()
    while node is not None and node.pk not in seen:
        if node.pk == ancestor.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


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
