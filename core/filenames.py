"""The names of the files people download: documents, exports, calculations, rule sets.

A name is Swedish words and the diarienummer, in ASCII: å, ä and ö are folded to a and o, and a
diarienummer's space and slash become hyphens ("KS 2026/0042" gives "KS-2026-0042"), so that the
name survives every e-mail client, file system and records system a registrar files it in, and no
slash turns part of the name into a folder."""

import re
import unicodedata

from django.utils.http import content_disposition_header

_NOT_SAFE = re.compile(r"[^A-Za-z0-9]+")


def fold(text):
    """``text`` as ASCII letters and digits joined by single hyphens: "Förkalkyl 2/3" → "Forkalkyl-2-3"."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return _NOT_SAFE.sub("-", ascii_text).strip("-")


def file_name(*parts, extension):
    """The parts (words, a diarienummer, a date) folded and joined by hyphens, with the extension;
    empty parts are left out: file_name("beslutsbrev", "KS 2026/0042", extension="pdf") →
    "beslutsbrev-KS-2026-0042.pdf"."""
    words = [fold(part) for part in parts if part not in (None, "")]
    return f"{'-'.join(word for word in words if word)}.{extension}"


def set_disposition(response, filename, *, inline=False):
    """Give ``response`` its Content-Disposition: the file ``filename``, to open in the browser
    (``inline``) or to save. Django writes the RFC 5987 ``filename*`` form for a name that is not
    plain ASCII, so an uploaded file's own name (with å, ä, ö) is kept as its owner wrote it."""
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response
