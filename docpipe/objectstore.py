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
from the root URI's `endpoint_override` (and `scheme`), as pyarrow reads it.
"""

from __future__ import annotations

import json
import socket
import time
import uuid
from typing import Any
from urllib.parse import parse_qs, urlparse

LOCK_TTL_SECONDS = 1800.0
_POLL_SECONDS = 0.2


class S3Root:
    def __init__(self, uri: str) -> None:
        parsed = urlparse(uri)
        query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        self.bucket = parsed.netloc
        self.prefix = parsed.path.strip("/")
        endpoint = query.get("endpoint_override")
        if endpoint and "://" not in endpoint:
            endpoint = f"{query.get('scheme', 'https')}://{endpoint}"
        self._endpoint, self._region = endpoint, query.get("region")
        self._client: Any = None
        self.owner = f"{socket.gethostname()}-{uuid.uuid4().hex[:12]}"

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3  # only object-store roots need it

            self._client = boto3.client("s3", endpoint_url=self._endpoint, region_name=self._region)
        return self._client

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
