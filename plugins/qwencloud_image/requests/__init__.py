"""Request models (pydantic) of the image modes, imported only when a request is validated or documented."""
