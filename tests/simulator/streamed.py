"""A POST whose body is sent a chunk at a time, over a bare socket, with a pause after each for
the server to answer: what a server that reads its bodies whole could not answer before the end."""

import asyncio
import json
from collections.abc import Iterable

import httpx

ANSWER_WITHIN_S = 0.05  # after each chunk; on loopback the server has read it by then


async def post_streamed(url: str, headers: dict, chunks: Iterable[bytes], length: int | None = None) -> tuple[int, dict, int]:
    """POST `chunks` to `url` (chunked, or as `length` declared bytes) until the server answers;
    the body is never ended. (status, JSON body, chunks sent)."""
    target = httpx.URL(url)
    reader, writer = await asyncio.open_connection(target.host, target.port)
    framing = f"content-length: {length}" if length is not None else "transfer-encoding: chunked"
    head = [
        f"POST {target.raw_path.decode()} HTTP/1.1",
        f"host: {target.host}:{target.port}",
        framing,
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
    answer = asyncio.ensure_future(reader.read())  # all of it: the server closes after answering
    sent = 0
    try:
        for chunk in chunks:
            writer.write(chunk if length is not None else b"%x\r\n%s\r\n" % (len(chunk), chunk))
            await writer.drain()
            sent += 1
            if (await asyncio.wait([answer], timeout=ANSWER_WITHIN_S))[0]:
                break
        raw = await asyncio.wait_for(answer, 10)
    finally:
        answer.cancel()
        writer.close()
    status_line, _, body = raw.partition(b"\r\n\r\n")
    return int(status_line.split()[1]), json.loads(body), sent
