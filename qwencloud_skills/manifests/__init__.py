"""Agent Skills manifests: generated from the plugin registry, validated, and installed into agents.

Nothing here names a mode or a model: SKILL.md, the references and the shim are
rendered from what plugins registered, so a new plugin changes the manifests
without a template edit.
"""
