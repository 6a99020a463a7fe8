"""The address trainees type (or scan) to reach the course over the classroom's network.

Finding it sends nothing anywhere: "connecting" a UDP socket only asks the
operating system which local address it would route from; no packet leaves
the machine.  The target is a private (RFC 1918) address, so on a classroom
network without internet the answer is still the LAN address.
"""
from __future__ import annotations

import ipaddress
import socket

_PROBE = ("10.254.254.254", 9)  # private; never contacted


def lan_address() -> str | None:
    """This machine's IPv4 address on the local network, or None if it has none."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(_PROBE)
            found = probe.getsockname()[0]
        except OSError:  # no route at all: no network
            found = None
    if _usable(found):
        return found
    try:
        candidates = [info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    except OSError:
        return None
    return next((address for address in candidates if _usable(address)), None)


def _usable(address: str | None) -> bool:
    if not address:
        return False
    parsed = ipaddress.ip_address(address)
    return not (parsed.is_loopback or parsed.is_unspecified or parsed.is_link_local)


def qr_text(data: str, encoding: str | None = "utf-8") -> str:
    """``data`` as a QR code drawn with block characters, light on a dark terminal.

    Half blocks draw two module rows per line, so the code stays square and
    small.  A console that cannot print the upper half block (Chinese Windows
    code page 936 lacks it) gets full blocks, two characters per module.
    """
    import qrcode

    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_L)
    code.add_data(data)
    code.make(fit=True)
    dark = code.get_matrix()
    if _can_print("▀▄█", encoding):
        blank = [False] * len(dark[0])
        pairs = zip(dark[0::2], [*dark[1::2], blank] if len(dark) % 2 else dark[1::2])
        glyph = {(False, False): "█", (False, True): "▀", (True, False): "▄", (True, True): " "}
        lines = ["".join(glyph[top, bottom] for top, bottom in zip(upper, lower)) for upper, lower in pairs]
    else:
        lines = ["".join("  " if module else "██" for module in row) for row in dark]
    return "\n".join(lines)


def _can_print(text: str, encoding: str | None) -> bool:
    try:
        text.encode(encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True
