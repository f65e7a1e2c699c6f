"""Where an item goes in a conversation: `previous_item_id` as the API reads it."""

ROOT = "root"  # previous_item_id for the conversation's start
APPEND = object()  # no previous_item_id: at the end


def inserted(items: dict[str, dict], item_id: str, item: dict, after=APPEND) -> dict[str, dict]:
    """`items` (in conversation order) with the item at the end, or after the id `after`
    (None: first)."""
    if after is APPEND:
        items[item_id] = item
        return items
    pairs = list(items.items())
    at = [key for key, _ in pairs].index(after) + 1 if after is not None else 0
    return dict([*pairs[:at], (item_id, item), *pairs[at:]])
