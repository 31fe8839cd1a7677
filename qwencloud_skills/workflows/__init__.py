"""Workflows: plans of generation jobs and local media steps, run, recorded and resumed by the host.

Plugins register :class:`~qwencloud_skills.workflows.spec.Workflow` records through the
``register_workflows`` hook; the host validates their options, shows the plan with what it
bills, runs independent steps concurrently, records every step in the ledger before it starts
and resumes a stopped run without submitting any job twice.
"""
