"""The benchmark of the compendium builder (python3 bench/run.py)."""
