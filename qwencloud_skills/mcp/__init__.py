"""The MCP server: every loaded skill's modes and workflows as tools, generated from the registry.

``qwencloud-skills mcp`` serves them over stdio with the official ``mcp`` SDK (the ``[mcp]``
extra, Python 3.10+). The modules split the work: :mod:`.tools` turns the registry into tool
records (names, schemas, annotations), :mod:`.handlers` and :mod:`.flows` do what a tool call
asks through the host library, :mod:`.replies` shapes every answer (structured JSON plus a short
text, keys masked, service text cleaned), :mod:`.server` is the stdio entry. Only
:mod:`.server` imports ``mcp``; the rest is plain Python that the 3.9 package can carry.
"""
