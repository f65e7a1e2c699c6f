"""Let aiortc offer loopback ICE candidates (import for the side effect).

aioice leaves 127.0.0.1 out of its host candidates, yet a browser on the same
machine, or anything in a network namespace that has only `lo`, can reach a
peer only there. Both the simulator and Python test clients import this.
"""

import aioice.ice

_host_addresses = aioice.ice.get_host_addresses


def _with_loopback(use_ipv4: bool, use_ipv6: bool) -> list[str]:
    found = _host_addresses(use_ipv4, use_ipv6)
    return found + ["127.0.0.1"] if use_ipv4 and "127.0.0.1" not in found else found


if aioice.ice.get_host_addresses is _host_addresses:
    aioice.ice.get_host_addresses = _with_loopback
