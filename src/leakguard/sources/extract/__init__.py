"""Text extraction from documents and archives, behind ``content_items``.

One module per format (ooxml, xlsx, odf, pdf, rtf, mail, notebook, markup, ole; archives live
in ``sources/archives.py``), a detector keyed by magic bytes and name (``detect``), and a
dispatcher (``dispatch.extract``) that guards every extractor so hostile input becomes a counted
skip. This package's top level holds only the options, so ``archives`` can import it freely.
"""

from leakguard.sources.extract.base import (
    DEFAULT_OPTIONS,
    MEMBER_SEP,
    ExtractOptions,
    Walk,
    container_path,
    is_extracted,
)

__all__ = ["DEFAULT_OPTIONS", "MEMBER_SEP", "ExtractOptions", "Walk", "container_path",
           "is_extracted"]
