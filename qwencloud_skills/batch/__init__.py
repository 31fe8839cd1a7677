"""Many jobs from one file (or list): checked in full first, paced to the service's limits, resumable.

``qwencloud-<skill> batch FILE.jsonl`` and ``AsyncTaskClient.run_many(requests)`` run on the
modules here, each with one job:

- :mod:`.lines`: reading the lines (a request, or ``{"id", "request", "mode", "model"}``) and
  validating every one before anything is sent;
- :mod:`.plan`: what each line needs (submit, poll, download, nothing), from the ledger; the
  per-model lanes (slots, submit rate) and what the batch bills;
- :mod:`.shared_uploads`: each local file uploaded once for the whole batch;
- :mod:`.pacer`: additive-increase / multiplicative-decrease pacing, honouring Retry-After;
- :mod:`.runner`: the one asyncio loop that submits, polls and downloads;
- :mod:`.manifest`: ``batch-results.jsonl``, rewritten atomically as lines progress;
- :mod:`.progress`: a live bar on a terminal, plain lines elsewhere;
- :mod:`.api` (``run_many``), :mod:`.store` (what ``batch resume`` needs) and :mod:`.cli`.
"""
