"""Uploading a request's local files before the submit, and reusing earlier uploads.

By default files go to DashScope's temporary storage: one getPolicy for the
model, then a multipart form POST per file (concurrently) to the policy's
upload host; the payload then carries ``oss://<key>`` and the transport adds the
OssResourceResolve header. With QWEN_TMP_OSS_BUCKET set they go to the user's
own bucket and a presigned https URL is sent instead. Uploads are remembered
in the ledger by content hash, so a re-submit within their lifetime reuses them.
Form posts use :mod:`.httpconfig`'s ``upload`` client, which never carries the
API key. Every decision lives in :class:`_Batch`; the sync and async functions
only move bytes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from .errors import ServiceError, invalid
from .localfiles import LocalFile, check_local_files, oversize, sha256_of
from .prepared import Prepared
from .retry import RETRY_STATUSES, RetryableError, RetryPolicy

if TYPE_CHECKING:  # pragma: no cover
    from .ossbucket import OwnBucket
    from .tasks import TaskBook

TEMP_STORAGE_SECONDS = 48 * 3600
REUSE_MARGIN_SECONDS = 6 * 3600


def _policy_fields(policy: Dict[str, Any], key: str) -> Dict[str, str]:
    return {
        "OSSAccessKeyId": str(policy["oss_access_key_id"]),
        "Signature": str(policy["signature"]),
        "policy": str(policy["policy"]),
        "x-oss-object-acl": str(policy.get("x_oss_object_acl", "private")),
        "x-oss-forbid-overwrite": str(policy.get("x_oss_forbid_overwrite", "true")),
        "key": key,
        "success_action_status": "200",
    }


def _object_key(policy: Dict[str, Any], item: LocalFile, digest: str) -> str:
    # A hash prefix keeps two different files with one name from colliding (overwrite is forbidden).
    return f"{policy['upload_dir'].rstrip('/')}/{digest[:12]}-{item.path.name}"


def _check_size(item: LocalFile, policy: Dict[str, Any]) -> None:
    limit_mb = policy.get("max_file_size_mb")
    if limit_mb and item.path.stat().st_size > float(limit_mb) * 1048576:
        raise invalid([oversize(item, float(limit_mb), "upload limit of temporary storage")],
                      header="Local file problem")


def _policy_data(book: TaskBook, prepared: Prepared, answer: Dict[str, Any]) -> Dict[str, Any]:
    data = answer.get("data")
    if not isinstance(data, dict) or "upload_host" not in data:
        raise ServiceError(None, "InvalidResponse", "upload policy answer lacks data.upload_host")
    if book.ledger is not None and data.get("max_file_size_mb"):
        book.ledger.record_upload_limit(model=prepared.model, base_url=book.host_of(prepared),
                                        max_file_size_mb=float(data["max_file_size_mb"]))
    return data


def known_upload_limit(book: TaskBook, model: str, base_url: Optional[str] = None) -> Optional[float]:
    """The temporary-storage size limit last seen for ``model`` on ``base_url`` (default: the client's)."""
    if book.ledger is None:
        return None
    return book.ledger.upload_limit(model=model, base_url=base_url or book.base_url)


def _apply(prepared: Prepared, files: List[LocalFile], urls: List[str]) -> Prepared:
    data = prepared.request.model_dump(by_alias=True, exclude_none=True)
    update: Dict[str, Any] = {}
    for item, url in zip(files, urls):
        attr = _attribute(prepared.request, item.field)
        if item.index is None:
            update[attr] = url
        else:
            values = list(update.get(attr, data[item.field]))
            values[item.index] = url
            update[attr] = values
    request = prepared.request.model_copy(update=update)
    return Prepared(prepared.mode, prepared.model, request, prepared.mode.payload(request, prepared.model),
                       prepared.base_url, prepared.origin)


def _attribute(model: Any, alias: str) -> str:
    for name, info in type(model).model_fields.items():
        if alias in (name, info.alias):
            return name
    return alias


def _scope(bucket: Optional[OwnBucket], model: str) -> str:
    """Uploads are reusable per destination: a model's temporary storage, or the user's bucket."""
    return f"bucket:{bucket.bucket}/{bucket.prefix}" if bucket is not None else model


def _reusable(book: TaskBook, base_url: str, scope: str, digest: str) -> Optional[str]:
    if book.ledger is None:
        return None
    return book.ledger.fresh_upload(sha256=digest, model=scope, base_url=base_url,
                                    min_remaining=REUSE_MARGIN_SECONDS)


def _remember(book: TaskBook, base_url: str, scope: str, item: LocalFile, digest: str, url: str,
              ttl: float) -> None:
    if book.ledger is not None:
        book.ledger.record_upload(sha256=digest, size=item.path.stat().st_size, model=scope,
                                  base_url=base_url, url=url, expires_at=time.time() + ttl)


def _check_upload(response: Any, item: LocalFile) -> None:
    """Accept the upload answer; raise RetryableError where trying again is safe."""
    if response.status_code == 409 and "FileAlreadyExists" in response.text:
        return  # same key means same content hash: an earlier attempt already stored these bytes
    if response.status_code >= 400:
        error = ServiceError(
            response.status_code, "UploadFailed", f"upload of {item.given} failed: {response.text[:200]}"
        )
        if response.status_code in RETRY_STATUSES or response.status_code >= 500:
            raise RetryableError(error)
        raise error


def _upload_retrying(policy: RetryPolicy) -> Dict[str, Any]:
    """Form uploads are idempotent (content-addressed keys): retry transport errors and 5xx."""
    import httpx
    from tenacity import retry_if_exception_type

    from .retry import tenacity_kwargs

    return {**tenacity_kwargs(policy), "retry": retry_if_exception_type((RetryableError, httpx.TransportError))}


@dataclass
class _Upload:
    """One local file on its way: its content hash and, once known, its remote URL."""

    item: LocalFile
    digest: str
    url: Optional[str] = None
    fresh: bool = False  # uploaded by this call (to be remembered), not reused


class _Batch:
    """One request's uploads, everything but the network: the plan, the policy, each file's form, the result.

    Building it checks the local files, their destination and which earlier uploads can be
    reused, and raises before any network call (missing file, wrong type, size, bucket settings).
    """

    def __init__(self, book: TaskBook, prepared: Prepared) -> None:
        from .ossbucket import own_bucket_settings

        self.book = book
        self.prepared = prepared
        self.host = book.host_of(prepared)
        files = check_local_files(prepared.mode, prepared.request, known_upload_limit(book, prepared.model, self.host))
        self.bucket: Optional[OwnBucket] = own_bucket_settings(book.env) if files else None
        self.scope = _scope(self.bucket, prepared.model)
        self.plan: List[_Upload] = []
        for item in files:
            digest = sha256_of(item.path)
            self.plan.append(_Upload(item, digest, _reusable(book, self.host, self.scope, digest)))
        self.todo = [upload for upload in self.plan if upload.url is None]
        self.policy: Dict[str, Any] = {}

    def policy_call(self) -> Optional[Dict[str, Any]]:
        """The getPolicy call's ``request()`` arguments; None when files go to the user's own bucket."""
        if self.bucket is not None:
            return None
        return {"method": "GET", "path": "/uploads", "params": {**POLICY_PARAMS, "model": self.prepared.model}}

    def read_policy(self, answer: Dict[str, Any]) -> None:
        """One policy serves every file of the request; all sizes are checked before any upload."""
        self.policy = _policy_data(self.book, self.prepared, answer)
        for upload in self.todo:
            _check_size(upload.item, self.policy)

    def form(self, upload: _Upload) -> Tuple[str, Dict[str, str], str]:
        """The form post of one file to temporary storage: (upload host, form fields, object key)."""
        key = _object_key(self.policy, upload.item, upload.digest)
        return self.policy["upload_host"], _policy_fields(self.policy, key), key

    @staticmethod
    def uploaded(upload: _Upload, url: str) -> None:
        upload.url, upload.fresh = url, True

    def finish(self) -> Prepared:
        """Remember this call's uploads and return the request with remote URLs in place of the paths."""
        if not self.plan:
            return self.prepared
        for upload in self.plan:
            if upload.fresh:
                _remember(self.book, self.host, self.scope, upload.item, upload.digest, upload.url,
                          _ttl(self.bucket))
        return _apply(self.prepared, [u.item for u in self.plan], [u.url for u in self.plan])


POLICY_PARAMS = {"action": "getPolicy"}


def upload_local_files(book: TaskBook, prepared: Prepared) -> Prepared:
    """Upload every local file of ``prepared`` (concurrently) and return it with oss:// or https URLs."""
    batch = _Batch(book, prepared)
    if not batch.todo:
        return batch.finish()
    from concurrent.futures import ThreadPoolExecutor

    from tenacity import Retrying

    from .httpconfig import sync_client

    call = batch.policy_call()
    if call is not None:
        batch.read_policy(book.service_at(batch.host).request(**call))  # type: ignore[attr-defined]

    def one(upload: _Upload, http: Any) -> None:
        if batch.bucket is not None:
            batch.uploaded(upload, batch.bucket.upload(upload.item.path, upload.digest))
            return
        host, fields, key = batch.form(upload)
        try:
            for attempt in Retrying(**_upload_retrying(book.policy)):
                with attempt, upload.item.path.open("rb") as handle:
                    response = http.post(host, data=fields, files={"file": (upload.item.path.name, handle)})
                    _check_upload(response, upload.item)
        except RetryableError as exc:
            raise exc.cause from None
        batch.uploaded(upload, f"oss://{key}")

    with sync_client("upload") as http, ThreadPoolExecutor(max_workers=min(4, len(batch.todo))) as pool:
        list(pool.map(lambda upload: one(upload, http), batch.todo))
    return batch.finish()


async def aupload_local_files(book: TaskBook, prepared: Prepared) -> Prepared:
    """The asyncio twin of :func:`upload_local_files`; blocking bucket uploads run in threads."""
    batch = _Batch(book, prepared)
    if not batch.todo:
        return batch.finish()
    import asyncio

    from tenacity import AsyncRetrying

    from .httpconfig import async_client

    call = batch.policy_call()
    if call is not None:
        batch.read_policy(await book.service_at(batch.host).request(**call))  # type: ignore[attr-defined]

    async def one(upload: _Upload, http: Any) -> None:
        if batch.bucket is not None:
            loop = asyncio.get_running_loop()
            batch.uploaded(upload, await loop.run_in_executor(None, batch.bucket.upload, upload.item.path,
                                                              upload.digest))
            return
        host, fields, key = batch.form(upload)
        # httpx's async multipart takes bytes, not a sync file; files are bounded by the policy limit.
        try:
            async for attempt in AsyncRetrying(**_upload_retrying(book.policy)):
                with attempt:
                    response = await http.post(
                        host, data=fields, files={"file": (upload.item.path.name, upload.item.path.read_bytes())},
                    )
                    _check_upload(response, upload.item)
        except RetryableError as exc:
            raise exc.cause from None
        batch.uploaded(upload, f"oss://{key}")

    async with async_client("upload") as http:
        await asyncio.gather(*(one(upload, http) for upload in batch.todo))
    return batch.finish()


def _ttl(bucket: Optional[OwnBucket]) -> float:
    """How long an upload can be reused: the presigned URL's life, or temporary storage's 48 h."""
    return float(bucket.url_expires) if bucket is not None else TEMP_STORAGE_SECONDS


def plan_uploads(book: TaskBook, prepared: Prepared) -> Tuple[Prepared, List[Dict[str, Any]]]:
    """For --dry-run: the payload with fresh earlier uploads reused, and what would be uploaded."""
    batch = _Batch(book, prepared)
    bucket = batch.bucket
    destination = f"own bucket {bucket.bucket} (presigned https URL)" if bucket else "temporary storage (oss:// URL)"
    shown = [
        {"field": u.item.label, "path": str(u.item.path), "reuses": u.url, "destination": destination}
        for u in batch.plan
    ]
    reused = [u for u in batch.plan if u.url]
    if reused:
        prepared = _apply(prepared, [u.item for u in reused], [u.url for u in reused])
    return prepared, shown
