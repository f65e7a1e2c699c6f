"""Sliding windows of events per key, bounded in memory. Pure.

A key is whatever a client sends or is (a session token, an address): anyone can make up new
ones, so a table that kept every key it ever saw would grow without end.
"""

from collections import OrderedDict, deque

REMEMBERED_KEYS = 10_000


class Window:
    """At most `limit` events per `seconds`, per key, for at most `keys` keys."""

    def __init__(self, limit: int, seconds: float, keys: int = REMEMBERED_KEYS) -> None:
        self.limit, self.seconds, self.keys = limit, seconds, max(1, keys)
        # Ordered by each key's latest event (the clock only goes forward), so the keys whose
        # events have all expired, and past `keys` the longest quiet, are always at the front.
        self._times: OrderedDict[str, deque] = OrderedDict()

    def __len__(self) -> int:
        return len(self._times)

    def retry_after(self, key: str, now: float) -> float | None:
        """None if one more is allowed now; else the seconds until it is."""
        times = self._recent(key, now)
        if len(times) < self.limit:
            return None
        return (times[0] if times else now) + self.seconds - now  # a limit of 0 never opens

    def count(self, key: str, now: float) -> int:
        """Events within the window, up to `limit` (no more are kept)."""
        return len(self._recent(key, now))

    def record(self, key: str, now: float) -> None:
        times = self._times.get(key)
        if times is None:  # only a new key grows the table
            self._make_room(now)
            times = self._times[key] = deque(maxlen=self.limit)  # the last `limit` tell when it reopens
        else:
            self._times.move_to_end(key)
        times.append(now)

    def _recent(self, key: str, now: float) -> deque | tuple:
        times = self._times.get(key)
        if times is None:
            return ()  # asking stores nothing
        while times and times[0] <= now - self.seconds:
            times.popleft()
        if not times:
            del self._times[key]
        return times

    def _make_room(self, now: float) -> None:
        """Drop expired keys, even ones never asked about again; then, at the bound, the oldest."""
        table, expired = self._times, now - self.seconds
        while table:
            first = next(iter(table.values()))
            if len(table) < self.keys and first and first[-1] > expired:
                return
            table.popitem(last=False)
