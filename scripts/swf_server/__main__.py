"""`python -m swf_server [PORT]`: moto's SWF server with the extension, on 127.0.0.1.

Prints `listening on http://127.0.0.1:PORT` once it answers; stops on SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import signal
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
    from waitress.server import create_server

    app = DomainDispatcherApplication(create_backend_app)
    # waitress, not werkzeug's development server: werkzeug closes the connection after
    # every answer (its run_wsgi sends `Connection: close` unconditionally), so each call
    # paid a new TCP connection: 0.39 ms of the Rust client's CPU per small call, 0.27 ms
    # on a kept-alive one. SWF's endpoints keep connections alive (HTTP/1.1), and SDK
    # clients pool them. A held long poll occupies one of `threads` until it is answered; idle
    # connections hold none.
    try:
        server = create_server(
            app,
            host="127.0.0.1",
            port=args.port,
            threads=128,
            connection_limit=2000,
            channel_timeout=600,
            asyncore_use_poll=True,
            ident="swf-server",
        )
    except OSError as e:
        print(f"error: cannot listen on 127.0.0.1:{args.port}: {e}", file=sys.stderr)
        return 1
    port = server.effective_port
    url = f"http://127.0.0.1:{port}"

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    serving = threading.Thread(target=server.run, daemon=True)
    serving.start()
    try:
        urllib.request.urlopen(f"{url}/moto-api/", timeout=10).read()
    except OSError as e:
        print(f"error: the server does not answer on {url}: {e}", file=sys.stderr)
        return 1
    print(f"listening on {url}", flush=True)
    stop.wait()
    server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
