"""The lock and the catalog journal of an output root on S3 (or an S3-compatible server).

pyarrow writes the Parquet files, but it cannot create an object only if it is absent, which a
lock needs; S3 can (conditional writes, `If-None-Match: *`), so these two go through boto3:
- the lock is the object `<root>/_lock`, created only if absent, holding its owner and an
  expiry (a writer killed while holding it blocks others until then, at most LOCK_TTL_SECONDS);
- the journal is `<root>/_journal/<position>.json`, one object per catalog transaction, each
  created only if absent: a writer that somehow lost the lock cannot overwrite another's entry.
Each writer keeps the catalog in memory and replays the journal entries it has not seen when
it takes the lock, so a commit reads only what changed since that writer's last commit.

Credentials and region come from boto3's usual sources (environment, ~/.aws); the endpoint
from the root URI's `endpoint_override` (and `scheme`), as pyarrow reads it. Workers reading
`s3://` inputs use the same clients (`client_for`): one GET per object, where pyarrow's files
send a HEAD first.
"""

from __future__ import annotations

import functools
import json
import socket
import threading
import time
import uuid
from typing import Any
from urllib.parse import parse_qs, urlparse

LOCK_TTL_SECONDS = 1800.0
_POLL_SECONDS = 0.2
_CREATING = threading.Lock()  # boto3's default session may not be used by two threads at once


def client_for(uri: str) -> Any:
    """A boto3 S3 client for the server an `s3://` URI names (its `endpoint_override`, `scheme` and
    `region` options): one per process and server, shared by its threads (boto3 clients are thread-safe)."""
    query = {key: values[-1] for key, values in parse_qs(urlparse(uri).query).items()}
    endpoint = query.get("endpoint_override")
    if endpoint and "://" not in endpoint:
        endpoint = f"{query.get('scheme', 'https')}://{endpoint}"
    with _CREATING:
        return _client(endpoint, query.get("region"))


@functools.cache
def _client(endpoint: str | None, region: str | None) -> Any:
    import boto3  # only object stores need it

    return boto3.client("s3", endpoint_url=endpoint, region_name=region)


class S3Root:
    def __init__(self, uri: str) -> None:
        parsed = urlparse(uri)
        self.bucket = parsed.netloc
        self.prefix = parsed.path.strip("/")
        self._uri = uri
        self.owner = f"{socket.gethostname()}-{uuid.uuid4().hex[:12]}"

    @property
    def client(self) -> Any:
        return client_for(self._uri)

    def _key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def _create(self, key: str, body: bytes) -> bool:
        """Create the object only if it is absent; False if it exists."""
        from botocore.exceptions import ClientError

        try:
            self.client.put_object(Bucket=self.bucket, Key=key, Body=body, IfNoneMatch="*")
            return True
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("PreconditionFailed", "ConditionalRequestConflict"):
                return False
            raise

    # -- the lock ------------------------------------------------------------------------------

    def acquire(self, deadline: float) -> bool:
        """Take the root's lock before ``deadline`` (time.monotonic()); False if another writer kept it."""
        from botocore.exceptions import ClientError

        key = self._key("_lock")
        while True:
            body = json.dumps({"owner": self.owner, "expires": time.time() + LOCK_TTL_SECONDS}).encode()
            if self._create(key, body):
                return True
            try:
                holder = json.loads(self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read())
                if holder["expires"] < time.time():  # its writer died holding it
                    self.client.delete_object(Bucket=self.bucket, Key=key)
                    continue
            except ClientError:
                continue  # released between our attempt and our look
            if time.monotonic() > deadline:
                return False
            time.sleep(_POLL_SECONDS)

    def release(self) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key("_lock"))

    # -- the journal ---------------------------------------------------------------------------

    def _entry(self, position: int) -> str:
        return self._key(f"_journal/{position:012d}.json")

    def read_since(self, position: int) -> list[tuple[int, list[list[Any]]]]:
        entries = []
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self._key("_journal/"), StartAfter=self._entry(position)):
            for item in page.get("Contents", []):
                number = int(item["Key"].rsplit("/", 1)[1].split(".")[0])
                changes = json.loads(self.client.get_object(Bucket=self.bucket, Key=item["Key"])["Body"].read())
                entries.append((number, changes))
        return sorted(entries)

    def append(self, position: int, changes: list[list[Any]]) -> None:
        if not self._create(self._entry(position), json.dumps(changes).encode()):
            raise RuntimeError(f"journal entry {position} of s3://{self.bucket}/{self.prefix} was written by another writer: the lock was not held")
