#!/usr/bin/env python3
"""A real SMTP server for BizOne's tests (aiosmtpd), on loopback.

Prints "listening PORT" once it accepts connections, then writes every message it accepts to
DIR/NNNN.eml (written aside and renamed, so a reader never sees half a message), headed by
X-Envelope-From / X-Envelope-To lines. With --user and --password it requires AUTH (PLAIN or
LOGIN, allowed without TLS: loopback only). It exits when its standard input closes, so a test
that dies does not leave it running.
"""
import argparse
import asyncio
import os
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        path = os.path.join(self.directory, "%04d.eml" % self.count)
        head = "X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n" % (envelope.mail_from, ",".join(envelope.rcpt_tos))
        with open(path + ".part", "wb") as out:
            out.write(head.encode())
            out.write(envelope.original_content or envelope.content)
        os.rename(path + ".part", path)
        return "250 OK"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() and auth_data.password == password.encode()
        return AuthResult(success=ok)
    return check


def exit_when_stdin_closes():
    sys.stdin.read()
    os._exit(0)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args()
    os.makedirs(args.directory, exist_ok=True)
    sink = Sink(args.directory)
    auth = authenticator(args.user, args.password) if args.user else None

    def factory():
        return SMTP(sink, hostname="sink.local", authenticator=auth, auth_required=auth is not None,
                    auth_require_tls=False)

    server = await asyncio.get_running_loop().create_server(factory, "127.0.0.1", args.port)
    print("listening %d" % server.sockets[0].getsockname()[1], flush=True)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
