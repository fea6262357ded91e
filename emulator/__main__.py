"""Command line: ``python -m emulator [--host H] [--port N] [--profile P] [--api-key K]
[--ready-file F] [--seed S] [--background-ms MS] [--faults RATE --fault-seed N]
[--mutation NAME | --list-mutations]``.

Prints one line per resource once every port listens, and writes the ready file (JSON) if
asked, so scripts and test fixtures can wait for it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any

from emulator.state.profile import ProfileError
from emulator.server import Emulator
from emulator.gateway.limits import DEFAULT_MAX_BODY_BYTES
from emulator.state.store import DEFAULT_MAX_RESPONSES


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m emulator", description="Azure OpenAI Responses API emulator.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    parser.add_argument(
        "--port", type=int, default=0, help="port of the first resource; resource i gets PORT+i (0: free ports)"
    )
    parser.add_argument("--profile", default=None, help="profile TOML (default: the bundled profiles/default.toml)")
    parser.add_argument("--api-key", default=None, help="API key to accept (default: $EMULATOR_API_KEY, else random)")
    parser.add_argument("--ready-file", default=None, help="write the info JSON here once listening")
    parser.add_argument("--seed", type=int, default=0, help="seed of the deterministic model")
    parser.add_argument("--max-responses", type=int, default=DEFAULT_MAX_RESPONSES, help="stored responses kept per resource")
    parser.add_argument("--retention-seconds", type=float, default=0.0,
                        help="drop stored responses older than this (default 0: keep until evicted by --max-responses)")
    parser.add_argument("--max-body-bytes", type=int, default=None,
                        help=f"refuse larger request bodies with 413 (default {DEFAULT_MAX_BODY_BYTES})")
    parser.add_argument("--background-ms", type=int, default=None,
                        help="how long every background response runs, in ms (default: the profile's)")
    parser.add_argument("--faults", type=float, default=None, metavar="RATE",
                        help="inject faults (429, 500, 503, slow replies, broken streams) into this share of API calls")
    parser.add_argument("--fault-seed", type=int, default=None, help="seed of the fault generator (default: the profile's)")
    parser.add_argument("--mutation", default=None, metavar="NAME",
                        help="serve a deliberately broken service: one named mutant (see --list-mutations)")
    parser.add_argument("--outbound", action="append", default=[], metavar="PUBLIC=LOOPBACK",
                        help="reach a stand-in for a public origin, e.g. https://learn.microsoft.com=http://127.0.0.1:8123 "
                             "(image URLs, MCP servers; repeatable)")
    parser.add_argument("--list-mutations", action="store_true", help="list the mutants and exit")
    parser.add_argument("--log-level", default="warning", choices=["debug", "info", "warning", "error"])
    parser.add_argument("--access-log", action="store_true", help="log every request")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.list_mutations:
        from emulator.mutations import catalogue

        for entry in catalogue():
            print(f"{entry['name']:<36} {entry['family']:<11} {entry['description']}")
        return 0
    logging.basicConfig(level=args.log_level.upper(), format="emulator: %(levelname)s %(name)s: %(message)s")
    try:
        emulator = Emulator(
            profile=args.profile,
            host=args.host,
            port=args.port,
            api_key=args.api_key,
            seed=args.seed,
            max_responses=args.max_responses,
            retention_seconds=args.retention_seconds,
            max_body_bytes=args.max_body_bytes,
            ready_file=args.ready_file,
            log_level=args.log_level,
            access_log=args.access_log,
            background_ms=args.background_ms,
            faults=args.faults,
            fault_seed=args.fault_seed,
            mutation=args.mutation,
            outbound=args.outbound,
        )
    except (ProfileError, ValueError) as exc:
        print(f"emulator: {exc}", file=sys.stderr)
        return 2

    def announce(info: dict[str, Any]) -> None:
        for name, resource in info["resources"].items():
            print(f"emulator: resource {name} ({resource['region']}) on {resource['url']}", flush=True)
        if emulator.api_key_generated:
            print(f"emulator: api key {emulator.api_key}", flush=True)

    try:
        asyncio.run(emulator.serve(on_ready=announce))
    except OSError as exc:
        print(f"emulator: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # a signal before the server installed its handlers
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
