#!/usr/bin/env python3
"""Runs a command against a kiln-server started for it, then stops the server.

    with_server.py SERVER [SERVER ARGS...] -- COMMAND [ARGS...]

Starts SERVER with its arguments (give it --port 0), reads the port from
its `listening on HOST:PORT` line, runs COMMAND with {host}, {port} and
{pid} in its arguments replaced, then stops the server with SIGTERM. The
server must stop by itself, with status 0, within 15 seconds.

Prints COMMAND's output, then `server stopped: exit 0` (or what went
wrong); exits with COMMAND's status, or 1 if the server misbehaved.
Standard library only.
"""
import re
import signal
import subprocess
import sys
import threading

START_TIMEOUT = 60
STOP_TIMEOUT = 15


def read_address(server):
    """The (host, port) of the server's `listening on` line, or None."""
    found = []

    def read():
        for line in server.stdout:
            match = re.match(r"listening on (\S+):(\d+)$", line.strip())
            if match:
                found.append((match.group(1), match.group(2)))
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(START_TIMEOUT)
    return found[0] if found else None


def drain(stream):
    """Copies the server's later output to stderr, so it never blocks."""
    for line in stream:
        sys.stderr.write("server: " + line)


def stop(server):
    """SIGTERM, then the exit status; None if it had to be killed."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
    try:
        return server.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
        return None


def main(argv):
    if "--" not in argv:
        sys.exit(__doc__)
    split = argv.index("--")
    server_cmd, command = argv[:split], argv[split + 1:]
    if not server_cmd or not command:
        sys.exit(__doc__)
    server = subprocess.Popen(server_cmd, stdout=subprocess.PIPE, text=True)
    address = read_address(server)
    if not address:
        stop(server)
        sys.exit("the server did not print `listening on HOST:PORT`")
    threading.Thread(target=drain, args=(server.stdout,), daemon=True).start()
    values = {"host": address[0], "port": address[1], "pid": str(server.pid)}
    command = [arg.format(**values) for arg in command]
    sys.stdout.flush()
    status = subprocess.call(command)
    server_status = stop(server)
    if server_status is None:
        print(f"server did not stop within {STOP_TIMEOUT} s of SIGTERM")
    else:
        print(f"server stopped: exit {server_status}")
    sys.stdout.flush()
    if server_status != 0:
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
