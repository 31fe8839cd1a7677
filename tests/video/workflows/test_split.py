"""Splitting a length into parts: fewest parts, even, exact when any choice is, else the least overshoot."""

from __future__ import annotations

from qwencloud_video.workflows.split import split


def same(values):
    return lambda count: [values] * count


def test_fewest_parts_as_even_as_possible():
    assert split(20, same(range(2, 16)), 10) == [10, 10]
    assert split(31, same(range(2, 16)), 10) == [10, 11, 10]
    assert split(15, same(range(2, 16)), 10) == [15]


def test_coarse_choices_overshoot_by_the_least():
    assert split(7, same([5, 10]), 10) == [10]
    assert split(12, same([5, 10]), 10) == [10, 5]


def test_each_part_has_its_own_choices():
    def choices(count):
        return [[5]] + [[1, 2, 3]] * (count - 1)

    assert split(9, choices, 10) == [5, 2, 2]


def test_a_fixed_number_of_parts_and_unreachable_lengths():
    assert split(20, same(range(2, 16)), 10, parts=4) == [5, 5, 5, 5]
    assert split(100, same(range(2, 16)), 5) is None
    assert split(20, same([]), 5) is None
