"""Splitting a length into jobs: as few parts as the models allow, as even as possible.

Each part's new footage comes from its own set of allowed values (the first segment is a
text-to-video job, continuations count their clip, a segment that seeds the next must be at
least as long as the clip cut from it). The parts add up to the length asked when any choice
can, else to the smallest length above it (the join trims the rest).
"""

from __future__ import annotations

from typing import Callable, List, Optional, Sequence, Set

# n -> the allowed new seconds of each of n parts, in order
PartChoices = Callable[[int], Sequence[Sequence[int]]]


def split(total: int, choices: PartChoices, max_parts: int, parts: Optional[int] = None) -> Optional[List[int]]:
    """New seconds per part, fewest parts first (exactly ``parts`` when given); None when none reach ``total``."""
    counts = [parts] if parts else range(1, max_parts + 1)
    for count in counts:
        found = _even_split(total, [sorted(set(values)) for values in choices(count)])
        if found is not None:
            return found
    return None


def _even_split(total: int, sets: List[List[int]]) -> Optional[List[int]]:
    if not sets or any(not values for values in sets):
        return None
    # reach[i]: every sum the parts i.. can make (reach[len] = {0})
    reach: List[Set[int]] = [set() for _ in sets] + [{0}]
    for index in range(len(sets) - 1, -1, -1):
        reach[index] = {value + rest for value in sets[index] for rest in reach[index + 1]}
    above = [value for value in reach[0] if value >= total]
    if not above:
        return None
    remaining = min(above)
    chosen: List[int] = []
    for index, values in enumerate(sets):
        left = len(sets) - index
        ideal = remaining / left
        fitting = [value for value in values if remaining - value in reach[index + 1]]
        best = min(fitting, key=lambda value: (abs(value - ideal), -value))
        chosen.append(best)
        remaining -= best
    return chosen


def smallest_sum(choices: PartChoices, parts: int) -> int:
    """The least new footage ``parts`` parts can make (to explain a plan with too many parts)."""
    return sum(min(values) for values in choices(parts) if values)


def largest_sum(choices: PartChoices, parts: int) -> int:
    return sum(max(values) for values in choices(parts) if values)
