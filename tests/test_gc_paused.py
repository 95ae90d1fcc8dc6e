"""The collector is paused while models are built, and comes back as it was after."""
from __future__ import annotations

import gc
import weakref

from rostering.gc_paused import gc_paused


class Node:
    def __init__(self):
        self.me = self  # a reference cycle: only the collector frees it


def test_the_collector_is_back_on_after_the_block_and_still_frees_cycles_made_in_it():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        node = Node()
        gone = weakref.ref(node)
    assert gc.isenabled()
    del node
    gc.collect()  # what the block left alive went to the oldest generation: a full collection frees it
    assert gone() is None


def test_a_nested_block_leaves_the_collector_off_for_the_outer_one():
    with gc_paused():
        with gc_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
