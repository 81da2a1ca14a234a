"""OLE compound files (legacy .doc/.xls/.ppt, and encrypted Office Open XML).

Office encrypts an OOXML document, whether with a password or with rights management (IRM/MIP
protection), by wrapping it in a compound file holding ``EncryptionInfo`` and
``EncryptedPackage`` streams; rights management adds a ``DRMEncryptedDataSpace``. Stream names
are stored in UTF-16LE in the directory sectors, which is all this needs to recognise them. The
legacy binary formats themselves are not parsed.
"""

from __future__ import annotations

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_DRM = "DRMEncrypted".encode("utf-16-le")


def ole_encryption(data: bytes) -> str | None:
    """``rights-protected …`` or ``password-protected …`` for encrypted OOXML, else None."""
    if _ENCRYPTED_PACKAGE not in data:
        return None
    if _DRM in data:
        return "rights-protected Office document (IRM/sensitivity-label encryption)"
    return "password-protected Office document"
