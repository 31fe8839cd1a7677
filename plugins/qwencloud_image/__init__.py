"""The first-party image skill: Wan and Qwen image modes registered as qwencloud-skills plugins."""
