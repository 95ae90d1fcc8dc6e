"""Python's cyclic garbage collector paused while a model's many small objects are built.

Requirements, their terms and CP-SAT expressions form no reference cycles, yet the collector
scans them again every few hundred allocations: on Curtois & Qu Instance23 (100 people, a
year), listing the rules' 600 000 requirements took 8.5 s with it running and 4.5 s without.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def gc_paused() -> Iterator[None]:
    """Collector off inside the block; back on after it, unless it was already off (nested use).

    Objects made inside the block are collected, if ever needed, by a later full collection."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # what the block left alive moves to the oldest generation unscanned: else the collector's
            # first pass after the block scans it all (Curtois & Qu Instance24: 1.5 s after the start)
            gc.freeze()
            gc.unfreeze()
            gc.enable()
