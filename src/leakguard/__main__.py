"""Allow ``python -m leakguard`` where the console script is not on PATH."""

from leakguard.cli import console_main

if __name__ == "__main__":
    console_main()
