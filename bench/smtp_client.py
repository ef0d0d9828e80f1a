"""CPU a message of the outbox's SMTP client alone: ``--messages`` acknowledgement-sized
messages over one connection to the same sink (a process of its own, as in ``paired.py``),
through the round ``SmtpTransport.batch`` gives (a blocking smtplib session without XOAUTH2)
and through the aiosmtplib session (``SmtpSession``), alternating, ``--pairs`` times. The
figure is the CPU time of the sending thread (``time.thread_time``). One JSON line.

    .venv/bin/python bench/smtp_client.py --messages 300 --pairs 5

``--only blocking|aiosmtplib`` sends one round through that client alone, through
``sys.call_tracing``, for callgrind to count (as ``bench/instructions.py``):

    valgrind --tool=callgrind --collect-atstart=no --toggle-collect=sys_call_tracing \\
        --callgrind-out-file=OUT .venv/bin/python bench/smtp_client.py --only blocking
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))

from bench.paired import SINK  # noqa: E402
from mailbot.config import Smtp  # noqa: E402
from mailbot.send.compose import compose_reply_bytes, make_message_id  # noqa: E402
from mailbot.send.transport import SmtpSession, SmtpTransport  # noqa: E402

SENDER = "privacy@example.org"


def messages(count: int) -> list[bytes]:
    return [compose_reply_bytes(
        from_address=SENDER, from_name="Privacyteam", to=f"writer{n}@example.net",
        subject="Ontvangstbevestiging: uw verzoek", body="Beste schrijver,\n\n" + "tekst " * 300,
        message_id=make_message_id("example.org", "ack", str(n)), in_reply_to=None,
        references=(), loop_header="X-Mailbot-Loop", loop_value=SENDER, language="nl",
        date=None, auto_submitted=True) for n in range(count)]


def cpu_a_message(session: Any, batch: list[bytes]) -> float:
    own = time.thread_time()
    with session:
        for n, data in enumerate(batch):
            session.send_sync(data, sender=SENDER, recipients=[f"writer{n}@example.net"])
    return (time.thread_time() - own) * 1000 / len(batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--only", choices=("blocking", "aiosmtplib"))
    args = parser.parse_args()
    sink = subprocess.Popen([sys.executable, "-c", SINK.format(root=str(HERE))],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert sink.stdout is not None
    transport = SmtpTransport(Smtp(url=sink.stdout.readline().strip()))
    batch = messages(args.messages)
    blocking: list[float] = []
    aio: list[float] = []
    try:
        cpu_a_message(transport.batch(), batch[:10])  # imports and first uses, not counted
        cpu_a_message(SmtpSession(transport), batch[:10])
        if args.only is not None:
            make = transport.batch if args.only == "blocking" else lambda: SmtpSession(transport)
            (blocking if args.only == "blocking" else aio).append(
                sys.call_tracing(cpu_a_message, (make(), batch)))
        for pair in range(0 if args.only else args.pairs):
            sides = [(blocking, transport.batch), (aio, lambda: SmtpSession(transport))]
            for figures, make in sides if pair % 2 == 0 else reversed(sides):
                figures.append(cpu_a_message(make(), batch))
    finally:
        out, _ = sink.communicate("", timeout=60)
    print(json.dumps({
        "messages": args.messages, "pairs": args.pairs,
        "sent": int(out.split()[-1]) if out.split() else 0,
        **{f"{name}_ms": round(statistics.median(figures), 3)
           for name, figures in (("blocking", blocking), ("aiosmtplib", aio)) if figures},
        **{f"{name}_range": [round(min(figures), 3), round(max(figures), 3)]
           for name, figures in (("blocking", blocking), ("aiosmtplib", aio)) if figures}}))


if __name__ == "__main__":
    main()
