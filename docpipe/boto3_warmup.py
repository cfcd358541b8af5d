"""Imported by the forkserver of a run that reads `s3://` inputs (docpipe/isolation.py): boto3 and S3's API model.

Every worker reading from S3 makes a boto3 client (docpipe/objectstore.py `client_for`):
0.3 s of CPU for its imports and for loading S3's API model, per worker and batch. Made once
here, before the workers are forked, a client costs each of them ~20 ms: the model stays loaded
in boto3's default session, which theirs are made from.
"""

import boto3

# Placeholder keys and region: this client sends no request, and looks up no credentials
# (which could wait on a cloud metadata server); the workers' clients look up the real ones.
try:
    boto3.client("s3", region_name="us-east-1", aws_access_key_id="warm-up", aws_secret_access_key="warm-up")
except Exception:  # noqa: BLE001 - a bad AWS config (an unknown AWS_PROFILE) must not stop the forkserver: each worker's own client reports it, per document
    pass
