"""Patches botoflow 0.8 (2016) needs on Python 3.11 and current botocore.

Each patch keeps botoflow's intent and changes nothing of its wire format: the proof is
about what botoflow's own data converter, decider and signal client do.
"""

from botocore.config import Config

from botoflow.workers import base_worker


def _fix_endpoint(self):
    # botoflow raised the client's read timeout to 65 s (above SWF's 60 s long polls) by
    # assigning `client._endpoint.timeout`, which botocore no longer has; the same setting
    # now goes through the client's Config.
    self._client = self._session.create_client(
        service_name="swf",
        region_name=self._aws_region,
        config=Config(read_timeout=65),
    )


base_worker.BaseWorker._fix_endpoint = _fix_endpoint
