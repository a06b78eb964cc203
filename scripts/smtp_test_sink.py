"""A loopback SMTP server that keeps what it receives, for the mail tests (scripts/smtp-test-sink).

Each message accepted becomes two files in DIR/messages/: NAME.eml, the message bytes as received
(after SMTP's dot-unstuffing), then NAME.json, the envelope: {"mail_from", "rcpt_tos", "auth_user",
"eml"}. The JSON file appears (by rename) only once both are complete, and before the server
answers 250, so a client that was told "sent" finds its message there. Names sort in arrival order.

Recipients whose local part starts with "reject" are refused with 550, with "tempfail" with 451.
With --user and --password, AUTH (PLAIN or LOGIN, over plain text: this is loopback) is required
and only those credentials pass; others get 535.
"""

import argparse
import asyncio
import itertools
import json
import os
import signal
import time

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    """The aiosmtpd handler: refuses the special recipients, writes every message to disk."""

    def __init__(self, messages):
        self.messages = messages
        self.sequence = itertools.count()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.rsplit("@", 1)[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 Mailbox unavailable"
        if local.startswith("tempfail"):
            return "451 4.3.0 Temporary failure, try again later"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns():020d}-{next(self.sequence):06d}"
        with open(os.path.join(self.messages, name + ".eml"), "wb") as file:
            file.write(envelope.original_content)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "auth_user": session.auth_data if session.authenticated else None,
            "eml": name + ".eml",
        }
        temporary = os.path.join(self.messages, name + ".json.tmp")
        with open(temporary, "w") as file:
            json.dump(record, file)
        os.rename(temporary, os.path.join(self.messages, name + ".json"))
        return "250 2.0.0 Message accepted"


def authenticator(user, password):
    """An aiosmtpd authenticator accepting exactly one user and password."""

    def authenticate(server, session, envelope, mechanism, auth_data):
        if (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        ):
            return AuthResult(success=True, auth_data=user)
        return AuthResult(success=False, handled=False)

    return authenticate


async def serve(arguments):
    messages = os.path.join(arguments.directory, "messages")
    os.makedirs(messages, exist_ok=True)
    handler = Sink(messages)
    requires_auth = arguments.user is not None

    def connection():
        return SMTP(
            handler,
            hostname="tern-test-sink",  # not the default getfqdn(), which may wait on DNS
            auth_require_tls=False,
            auth_required=requires_auth,
            authenticator=authenticator(arguments.user, arguments.password or "") if requires_auth else None,
        )

    loop = asyncio.get_running_loop()
    server = await loop.create_server(connection, host="127.0.0.1", port=arguments.port)
    # The port file says the server accepts connections: written (by rename) only once it listens.
    port_file = os.path.join(arguments.directory, "port")
    with open(port_file + ".tmp", "w") as file:
        file.write(str(server.sockets[0].getsockname()[1]))
    os.rename(port_file + ".tmp", port_file)
    stop = asyncio.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stop.set)
    await stop.wait()
    server.close()
    await server.wait_closed()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directory", required=True)
    parser.add_argument("--port", type=int, default=0, help="0 (the default): any free port")
    parser.add_argument("--user", default=os.environ.get("SMTP_TEST_SINK_USER"))
    parser.add_argument("--password", default=os.environ.get("SMTP_TEST_SINK_PASSWORD"))
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
