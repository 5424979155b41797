"""`python -m swf_server [PORT]`: moto's SWF server with the extension, on 127.0.0.1.

Prints `listening on http://127.0.0.1:PORT` once it answers; stops on SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import signal
import socket
import sys
import threading
import urllib.request

from . import install


def main() -> int:
    parser = argparse.ArgumentParser(prog="swf-server", description=__doc__)
    parser.add_argument("port", nargs="?", type=int, default=0, help="a free port when omitted")
    args = parser.parse_args()

    try:
        install()
    except ValueError as e:  # a bad SWF_SERVER_THROTTLE, SWF_SERVER_FAULTS or seed
        print(f"error: {e}", file=sys.stderr)
        return 2

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from moto.server import MotoRequestHandler
    from werkzeug.serving import make_server

    app = DomainDispatcherApplication(create_backend_app)
    try:
        server = make_server(
            "127.0.0.1", args.port, app, threaded=True, request_handler=MotoRequestHandler
        )
    except (OSError, SystemExit) as e:
        print(f"error: cannot listen on 127.0.0.1:{args.port}: {e}", file=sys.stderr)
        return 1
    server.daemon_threads = True  # a held long poll must not keep the process alive
    port = server.socket.getsockname()[1]
    url = f"http://127.0.0.1:{port}"

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    try:
        urllib.request.urlopen(f"{url}/moto-api/", timeout=10).read()
    except OSError as e:
        print(f"error: the server does not answer on {url}: {e}", file=sys.stderr)
        return 1
    print(f"listening on {url}", flush=True)
    stop.wait()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
