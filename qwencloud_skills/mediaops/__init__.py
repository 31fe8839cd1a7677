"""Local media operations (probe, join, cut, frames, sound, contact sheets) every skill's CLI offers.

They run the system ffmpeg, or the one bundled with ``imageio-ffmpeg``; nothing is sent anywhere.
This folder is the host's file-format area: it may name containers and stream kinds.
"""
