"""The demo service: reads its settings and answers requests.

Users' data is kept confidential; nothing in this file is sensitive.
"""

from enum import Enum


class Visibility(Enum):
    PUBLIC = "public"
    CONFIDENTIAL = "confidential"


def greet(name: str) -> str:
    return f"Hello, {name}!"
