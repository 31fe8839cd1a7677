"""Request models (pydantic) of the video modes, imported only when a request is validated or documented."""
