"""The first-party video skill: five Wan modes registered as qwencloud-skills plugins."""
