#!/usr/bin/env python3
"""Writes fuzz/seeds/<target>/ from the shared wire vectors (core/tests/vectors/*.json).

Each seed is the vector's input with the target's control bytes in front (see each target's
header comment for its input layout). Run by `make fuzz-seeds`; the output is committed.
"""
import hashlib
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent
VECTORS = ROOT.parent / "core" / "tests" / "vectors"
SEEDS = ROOT / "seeds"
CHUNKED_HEAD_END = b"\r\n\r\n"


def write(target, data):
    d = SEEDS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main():
    count = 0
    for f in sorted(VECTORS.glob("*.json")):
        for case in json.loads(f.read_text())["cases"]:
            data = case["input"].encode("latin-1")
            if case["role"] == "server":
                write("server_split", bytes([0x10 if case.get("eof") else 0, 63, 0]) + data)
                write("request_head", bytes([0, 31, len(data) // 2 % 256]) + data)
                write("diff_httparse", b"\x00" + data)
                head, sep, body = data.partition(CHUNKED_HEAD_END)
                if sep and b"chunked" in head.lower():
                    write("chunked_body", b"\x00\x03" + body)
            else:
                write("response_head", bytes([0, 31, len(data) // 2 % 256]) + data)
                write("diff_httparse", b"\x01" + data)
            count += 1
    print(f"extract_seeds: {count} vectors -> {SEEDS}")


if __name__ == "__main__":
    main()
