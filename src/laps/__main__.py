"""``python -m laps``: the same CLI as the ``laps`` console script."""

from laps.cli import main

if __name__ == "__main__":
    main()
