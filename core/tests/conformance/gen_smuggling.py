#!/usr/bin/env python3
"""Writes ../vectors/smuggling_corpus.json (requests) and ../vectors/smuggling_responses.json.

The inputs are the Transfer-Encoding / Content-Length obfuscations published by public smuggling
research (sources credited in each file's description and in every case name's prefix). The
expected outcome of every case is stated here from RFC 9110/9112 and h1x's documented rules (the
error kind it must reject with, or the exact events of an unambiguous framing); none is copied
from a run. Regenerate with `python3 core/tests/conformance/gen_smuggling.py`.
"""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "vectors")


def req(method, target, headers, version="1.1"):
    return {"type": "request", "method": method, "target": target, "version": version,
            "headers": [list(h) for h in headers]}


def resp(status, reason, headers, version="1.1", kind="response"):
    return {"type": kind, "status": status, "reason": reason, "version": version,
            "headers": [list(h) for h in headers]}


def info(status, reason, headers=()):
    return resp(status, reason, headers, kind="informational_response")


def data(d):
    return {"type": "data", "data": d}


def eom(trailers=()):
    return {"type": "end_of_message", "headers": [list(h) for h in trailers]}


CLOSED = {"type": "connection_closed"}
PAUSED = {"type": "paused"}
STATUS = {"UnsupportedTransferEncoding": 501, "UnsupportedVersion": 505}


def rejected(name, role, inp, kind, events=(), **kw):
    c = {"name": name, "role": role, "input": inp, "events": list(events),
         "error": {"kind": kind, "status": STATUS.get(kind, 400)}}
    c.update(kw)
    return c


def framed(name, role, inp, events, **kw):
    c = {"name": name, "role": role, "input": inp, "events": list(events)}
    c.update(kw)
    return c


def head_event(inp):
    """The head event of a well-formed head at the start of `inp` (for errors found in the body:
    the head is decoded and delivered before the body goes wrong)."""
    text = inp[: inp.index("\r\n\r\n")]
    lines = text.split("\r\n")
    fields = [tuple(l.split(":", 1)) for l in lines[1:]]
    fields = [(n, v.strip(" \t")) for n, v in fields]
    a, b, c = lines[0].split(" ", 2)
    if a.startswith("HTTP/"):
        return resp(int(b), c, fields, a[5:])
    return req(a, b, fields, c[5:])


def in_body(name, role, inp, kind, data_before=None):
    events = [head_event(inp)] + ([data(data_before)] if data_before else [])
    return rejected(name, role, inp, kind, events)


def head(method, target, headers, version="HTTP/1.1"):
    return f"{method} {target} {version}\r\n" + "".join(f"{n}: {v}\r\n" for n, v in headers) + "\r\n"


requests = []
add = requests.append

# --- defparam/smuggler (MIT), configs/exhaustive.py: every mutation of the TE line, sent with
# --- Host and Content-Length as smuggler's template does.
BODY = "0\r\n\r\n"


def smuggler(gadget):
    return "POST / HTTP/1.1\r\n" + gadget + "\r\nHost: a\r\nContent-Length: 5\r\n\r\n" + BODY


named = {
    "nameprefix1": (" Transfer-Encoding: chunked", "ObsFold"),
    "tabprefix1": ("Transfer-Encoding:\tchunked", "ContentLengthWithTransferEncoding"),
    "tabprefix2": ("Transfer-Encoding\t:\tchunked", "SpaceBeforeColon"),
    "spacejoin1": ("Transfer Encoding: chunked", "SpaceBeforeColon"),
    "underjoin1": ("Transfer_Encoding: chunked", None),
    "smashed": ("Transfer Encoding:chunked", "SpaceBeforeColon"),
    "space1": ("Transfer-Encoding : chunked", "SpaceBeforeColon"),
    "valueprefix1": ("Transfer-Encoding:  chunked", "ContentLengthWithTransferEncoding"),
    "vertprefix1": ("Transfer-Encoding:\x0bchunked", "InvalidHeaderValue"),
    "commaCow": ("Transfer-Encoding: chunked, cow", "InvalidTransferEncoding"),
    "cowComma": ("Transfer-Encoding: cow, chunked", "ContentLengthWithTransferEncoding"),
    "contentEnc": ("Content-Encoding: chunked", None),
    "linewrapped1": ("Transfer-Encoding:\n chunked", "BareLf"),
    "quoted": ("Transfer-Encoding: \"chunked\"", "InvalidTransferEncoding"),
    # `'` is a tchar: `'chunked'` is a well-formed unknown coding
    "aposed": ("Transfer-Encoding: 'chunked'", "ContentLengthWithTransferEncoding"),
    "lazygrep": ("Transfer-Encoding: chunk", "ContentLengthWithTransferEncoding"),
    "sarcasm": ("TrAnSFer-EnCODinG: cHuNkeD", "ContentLengthWithTransferEncoding"),
    "yelling": ("TRANSFER-ENCODING: CHUNKED", "ContentLengthWithTransferEncoding"),
    "0dsuffix": ("Transfer-Encoding: chunked\r", "BareCr"),
    "tabsuffix": ("Transfer-Encoding: chunked\t", "ContentLengthWithTransferEncoding"),
    "revdualchunk": ("Transfer-Encoding: cow\r\nTransfer-Encoding: chunked", "ContentLengthWithTransferEncoding"),
    "0dspam": ("Transfer\r-Encoding: chunked", "InvalidHeaderName"),
    "nested": ("Transfer-Encoding: cow chunked bar", "InvalidTransferEncoding"),
    "spaceFF": ("Transfer-Encoding:\xffchunked", "InvalidTransferEncoding"),
    "accentCH": ("Transfer-Encoding: ch\x96nked", "InvalidTransferEncoding"),
    "accentTE": ("Transf\x82r-Encoding: chunked", "InvalidHeaderName"),
    "x-rout": ("X:X\rTransfer-Encoding: chunked", "BareCr"),
    "x-nout": ("X:X\nTransfer-Encoding: chunked", "BareLf"),
}
for key, (gadget, kind) in named.items():
    inp = smuggler(gadget)
    name = f"smuggler: {key}"
    if kind:
        add(rejected(name, "server", inp, kind))
    else:
        n, v = gadget.split(": ", 1)
        hs = [(n, v), ("Host", "a"), ("Content-Length", "5")]
        add(framed(name, "server", inp, [req("POST", "/", hs), data(BODY), eom()]))


def ctl_kind_in_value(b):
    """A byte inside a field value (not at its edges)."""
    if b == 0x09:
        return None
    if b == 0x0A:
        return "BareLf"
    if b == 0x0D:
        return "BareCr"
    if b < 0x20 or b == 0x7F:
        return "InvalidHeaderValue"
    return "obs-text"


for b in list(range(0x01, 0x20)) + list(range(0x7F, 0x100)):
    c = chr(b)
    k = ctl_kind_in_value(b)
    # midspace: `Transfer-Encoding:<b>chunked`; HTAB is whitespace, obs-text makes a non-token coding
    mid = {None: "ContentLengthWithTransferEncoding", "obs-text": "InvalidTransferEncoding"}.get(k, k)
    add(rejected(f"smuggler: midspace-{b:02x}", "server", smuggler(f"Transfer-Encoding:{c}chunked"), mid))
    # endspace: `Transfer-Encoding: chunked<b>`; trailing HTAB is trimmed
    add(rejected(f"smuggler: endspace-{b:02x}", "server", smuggler(f"Transfer-Encoding: chunked{c}"), mid))
    # postspace: `Transfer-Encoding<b>: chunked`: whitespace before the colon, else a bad name byte
    post = "SpaceBeforeColon" if b == 0x09 else "InvalidHeaderName"
    add(rejected(f"smuggler: postspace-{b:02x}", "server", smuggler(f"Transfer-Encoding{c}: chunked"), post))
    # prespace: `<b>Transfer-Encoding: chunked` as the first field line
    pre = {0x09: "ObsFold", 0x0A: "BareLf", 0x0D: "BareCr"}.get(b, "InvalidHeaderName")
    add(rejected(f"smuggler: prespace-{b:02x}", "server", smuggler(f"{c}Transfer-Encoding: chunked"), pre))

# --- PortSwigger Web Security Academy, "HTTP request smuggling" (CL.TE, TE.CL, TE.TE obfuscation
# --- list) and James Kettle, "HTTP Desync Attacks" (2019) / "Browser-Powered Desync Attacks" (2022)
PS = "portswigger"
add(rejected(f"{PS}: CL.TE", "server",
             "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 13\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nSMUGGLED",
             "ContentLengthWithTransferEncoding"))
add(rejected(f"{PS}: TE.CL", "server",
             "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n",
             "ContentLengthWithTransferEncoding"))
te_te = {
    "TE.TE xchunked": ("Transfer-Encoding: xchunked", "UnsupportedTransferEncoding"),
    "TE.TE space before colon": ("Transfer-Encoding : chunked", "SpaceBeforeColon"),
    "TE.TE chunked then x": ("Transfer-Encoding: chunked\r\nTransfer-Encoding: x", "InvalidTransferEncoding"),
    "TE.TE tab before value": ("Transfer-Encoding:\tchunked", None),
    "TE.TE space before name": (" Transfer-Encoding: chunked", "ObsFold"),
    "TE.TE LF inside X header": ("X: X\nTransfer-Encoding: chunked", "BareLf"),
    "TE.TE LF before colon": ("Transfer-Encoding\n: chunked", "InvalidHeaderName"),
}
for key, (gadget, kind) in te_te.items():
    # the TE.TE variants: chunked body, no Content-Length: either rejected or read as chunked
    inp = "POST / HTTP/1.1\r\nHost: a\r\n" + gadget + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    if kind:
        add(rejected(f"{PS}: {key}", "server", inp, kind))
    else:
        hs = [("Host", "a"), ("Transfer-Encoding", "chunked")]
        add(framed(f"{PS}: {key}", "server", inp, [req("POST", "/", hs), data("hello"), eom()]))
# CL.0: the back end must honour Content-Length even on an endpoint that ignores bodies
smug = "GET /hopefully404 HTTP/1.1\r\nFoo: x"
add(framed(f"{PS}: CL.0 body is read, not taken for a request", "server",
           f"POST /static HTTP/1.1\r\nHost: a\r\nContent-Length: {len(smug)}\r\n\r\n" + smug,
           [req("POST", "/static", [("Host", "a"), ("Content-Length", str(len(smug)))]), data(smug), eom()]))
# 0.CL-style: a GET with a body is still framed by its Content-Length
add(framed(f"{PS}: GET with Content-Length keeps its body", "server",
           "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nGET /x",
           [req("GET", "/", [("Host", "a"), ("Content-Length", "5")]), data("GET /"), eom()],
           ))
# chunk-line obfuscations (Jeppe Bonde Weikop, "Funky chunks", 2025, published via PortSwigger's research pages)
TE_HEAD = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
for key, body, kind, body_data in [
    ("chunk ext with bare LF (TERM.EXT)", "2;\nxx\r\n0\r\n\r\n", "BareLf", None),
    ("chunk ext with bare LF after a name", "2;a\nxx\r\n0\r\n\r\n", "BareLf", None),
    ("chunk data ended by LF alone", "2\r\nxx\n0\r\n\r\n", "MissingChunkCrlf", "xx"),
    ("chunk data ended by CR alone", "2\r\nxx\r0\r\n\r\n", "MissingChunkCrlf", "xx"),
    ("chunk data too long (EXT.TERM)", "2\r\nxxx\r\n0\r\n\r\n", "MissingChunkCrlf", "xx"),
    ("chunk size line ended by LF", "2\nxx\r\n0\r\n\r\n", "BareLf", None),
    ("last chunk ended by LF", "0\n\r\n", "BareLf", None),
    ("CR inside chunk ext OWS", "2;\r\rxx\r\n0\r\n\r\n", "InvalidChunkExtension", None),
    ("NUL in chunk ext", "2;a=\x00\r\nxx\r\n0\r\n\r\n", "InvalidChunkExtension", None),
]:
    add(in_body(f"{PS}: {key}", "server", TE_HEAD + body, kind, body_data))

# --- aws/http-desync-guardian (Apache-2.0), tests/severe.yaml and tests/ambiguous.yaml: requests
# --- its "Severe" and "Ambiguous" tiers flag. Host is added as the last field where they lack it.
DG = "desync-guardian"


def dg(name, tier, method, version, fields, kind, body="", events=None):
    hs = list(fields) + [("Host", "a")]
    inp = head(method, "/foo/bar", hs, version) + body
    if kind:
        add(rejected(f"{DG} {tier}: {name}", "server", inp, kind))
    else:
        add(framed(f"{DG} {tier}: {name}", "server", inp, events(hs)))


def no_body(method, v="1.1"):
    return lambda hs: [req(method, "/foo/bar", hs, v), eom()]


S = "severe"
dg("Multiple Content-Length", S, "POST", "HTTP/1.1", [("Content-Length", "1000"), ("Content-Length", "100")], "DuplicateContentLength")
dg("Content-Length: 1000,1000", S, "POST", "HTTP/1.1", [("Content-Length", "1000,1000")], "DuplicateContentLength")
dg("Content-Length: 1000 1000", S, "POST", "HTTP/1.1", [("Content-Length", "1000 1000")], "InvalidContentLength")
dg("Content-Length: 1000.1000", S, "POST", "HTTP/1.1", [("Content-Length", "1000.1000")], "InvalidContentLength")
dg("Content-Length 64-bit overflow", S, "POST", "HTTP/1.1", [("Content-Length", "18446744073709551616")], "InvalidContentLength")
dg("Transfer-Encoding: xchunked", S, "POST", "HTTP/1.1", [("Transfer-Encoding", "xchunked")], "UnsupportedTransferEncoding")
dg("Transfer-Encoding: chunked\\x11", S, "POST", "HTTP/1.1", [("Transfer-Encoding", "chunked\x11")], "InvalidHeaderValue")
dg("Content-Length: 1000\\x11", S, "POST", "HTTP/1.1", [("Content-Length", "1000\x11")], "InvalidHeaderValue")
dg("two Transfer-Encoding: chunked", S, "POST", "HTTP/1.1", [("Transfer-Encoding", "chunked"), ("Transfer-Encoding", "chunked")], "InvalidTransferEncoding")
dg("Transfer-Encoding: chunked,chunked", S, "POST", "HTTP/1.1", [("Transfer-Encoding", "chunked,chunked")], "InvalidTransferEncoding")
dg("multi-line value (obs-fold)", S, "POST", "HTTP/1.1", [("Content-Length", "1000"), ("Some-Custom-Header", "Multi-line values\r\n are \n deprecated")], "ObsFold")
dg("multi-line value with LF only", S, "POST", "HTTP/1.1", [("Content-Length", "1000"), ("Some-Custom-Header", "Multi-line values\n are")], "BareLf")
dg("CR inside a value", S, "POST", "HTTP/1.1", [("Content-Length", "1000"), ("Some-Custom-Header", "Parser error\r must not")], "BareCr")
dg("LF inside a value", S, "POST", "HTTP/1.1", [("Content-Length", "1000"), ("Some-Custom-Header", "Parser error\n must not")], "BareLf")
dg("CR in a name", S, "POST", "HTTP/1.1", [("Some-Bad-Header\r", "1000")], "InvalidHeaderName")
dg("LF in a name", S, "POST", "HTTP/1.1", [("Some-Bad-Header\n", "Content-Length:1000"), ("Content-Length", "100")], "InvalidHeaderName")
dg("NUL in a name", S, "POST", "HTTP/1.1", [("Some-Bad-Header\x00", "1000")], "InvalidHeaderName")
dg("CR then content-length in a value", S, "POST", "HTTP/1.1", [("Some-Bad-Header", "value\rcontent-length: 1000"), ("Content-Length", "100")], "BareCr")
dg("LF then content-length in a value", S, "POST", "HTTP/1.1", [("Some-Bad-Header", "value\n content-length: 1000"), ("Content-Length", "100")], "BareLf")
dg("NUL in a value", S, "POST", "HTTP/1.1", [("Some-Bad-Header", "value\x00content-length: 1000"), ("Content-Length", "100")], "InvalidHeaderValue")
dg("NUL at the start of a line", S, "POST", "HTTP/1.1", [("\x00Some-Bad-Header", "value"), ("Content-Length", "100")], "InvalidHeaderName")
dg("NUL at the start of a value", S, "POST", "HTTP/1.1", [("Some-Bad-Header", "\x00value"), ("Content-Length", "100")], "InvalidHeaderValue")
dg("NUL at the end of a value", S, "POST", "HTTP/1.1", [("Some-Bad-Header", "value\x00"), ("Content-Length", "100")], "InvalidHeaderValue")
dg("Content-Length[SP] and Content-Length", S, "POST", "HTTP/1.1", [("Content-Length ", "100"), ("Content-Length", "1000")], "SpaceBeforeColon")
dg("[SP]Content-Length and Content-Length", S, "POST", "HTTP/1.1", [(" Content-Length", "100"), ("Content-Length", "1000")], "ObsFold")
dg("Transfer-Encoding[SP] and Transfer-Encoding", S, "POST", "HTTP/1.1", [("Transfer-Encoding ", "chunked"), ("Transfer-Encoding", "chunked")], "SpaceBeforeColon")
add(rejected(f"{DG} {S}: bad method", "server", "bad_method\x01 /foo/bar HTTP/1.1\r\nHost: a\r\n\r\n", "InvalidMethod"))
A = "ambiguous"
dg("Transfer-Encoding with trailing SP in name", A, "POST", "HTTP/1.1", [("Transfer-Encoding ", "chunked")], "SpaceBeforeColon")
dg("Transfer-Encoding with trailing HTAB in name", A, "POST", "HTTP/1.1", [("Transfer-Encoding\t", "chunked")], "SpaceBeforeColon")
dg("\\x01Transfer-Encoding", A, "POST", "HTTP/1.1", [("\x01Transfer-Encoding", "chunked")], "InvalidHeaderName")
dg("\\x01\\x01Content-Length", A, "POST", "HTTP/1.1", [("\x01\x01Content-Length", "1")], "InvalidHeaderName")
dg("Transfer- Encoding", A, "POST", "HTTP/1.1", [("Transfer- Encoding", "chunked")], "SpaceBeforeColon")
dg("Transfer_Encoding is another field", A, "POST", "HTTP/1.1", [("Transfer_Encoding", "chunked")], None, events=no_body("POST"))
dg("Content_Length is another field", A, "POST", "HTTP/1.1", [("Content_Length", "1000")], None, events=no_body("POST"))
dg("duplicate Content-Length", A, "PUT", "HTTP/1.1", [("Content-Length", "1000"), ("Content-Length", "1000")], "DuplicateContentLength")
dg("Transfer-Encoding chunked and Content-Length", A, "POST", "HTTP/1.1", [("Transfer-Encoding", "chunked"), ("Content-Length", "100")], "ContentLengthWithTransferEncoding")
dg("Transfer-Encoding gzip and Content-Length", A, "POST", "HTTP/1.1", [("Transfer-Encoding", "gzip"), ("Content-Length", "100")], "ContentLengthWithTransferEncoding")
dg("GET with Content-Length is framed by it", A, "GET", "HTTP/1.1", [("Content-Length", "5")], None, body="hello",
   events=lambda hs: [req("GET", "/foo/bar", hs), data("hello"), eom()])
dg("GET with chunked body is framed by it", A, "GET", "HTTP/1.1", [("Transfer-Encoding", "chunked")], None, body="5\r\nhello\r\n0\r\n\r\n",
   events=lambda hs: [req("GET", "/foo/bar", hs), data("hello"), eom()])
dg("HEAD with Content-Length is framed by it", A, "HEAD", "HTTP/1.1", [("Content-Length", "5")], None, body="hello",
   events=lambda hs: [req("HEAD", "/foo/bar", hs), data("hello"), eom()])
dg("Transfer-Encoding[SP] and Content-Length", A, "POST", "HTTP/1.1", [("Transfer-Encoding ", "chunked"), ("Content-Length", "1000")], "SpaceBeforeColon")
dg("[SP]Transfer-Encoding and Content-Length", A, "POST", "HTTP/1.1", [(" Transfer-Encoding", "chunked"), ("Content-Length", "1000")], "ObsFold")
dg("Transfer-Encoding x (SP inside name)", A, "POST", "HTTP/1.1", [("Transfer-Encoding x", "chunked")], "SpaceBeforeColon")
dg("Transfer-Encoding[SP]\\x01", A, "POST", "HTTP/1.1", [("Transfer-Encoding \x01", "chunked")], "SpaceBeforeColon")
dg("empty field name", A, "POST", "HTTP/1.1", [("", "chunked"), ("Content-Length", "1000")], "InvalidHeaderName")
dg("field name starting with colon", A, "POST", "HTTP/1.1", [(":SomeHeader:Transfer-Encoding:", "chunked"), ("Content-Length", "1000")], "InvalidHeaderName")
dg("whitespace-only field name", A, "POST", "HTTP/1.1", [("   \t\t  ", "chunked"), ("Content-Length", "1000")], "ObsFold")
dg("Transfer-Encoding in HTTP/1.0", A, "POST", "HTTP/1.0", [("Transfer-Encoding", "chunked")], "TransferEncodingInHttp10")
dg("Transfer-Encoding in HTTP/0.9", A, "POST", "HTTP/0.9", [("Transfer-Encoding", "chunked")], "UnsupportedVersion")
add(rejected(f"{DG} {A}: request line without version (HTTP/0.9)", "server",
             "POST /foo/bar\r\nContent-Length: 100\r\nHost: a\r\n\r\n", "InvalidStartLine"))
dg("Tran\\u017ffer-Encoding (long s, UTF-8)", A, "POST", "HTTP/1.1", [("Tran\xc5\xbffer-Encoding", "chunked")], "InvalidHeaderName")
dg("Transfer-Encod\\u0131ng (dotless i, UTF-8)", A, "POST", "HTTP/1.1", [("Transfer-Encod\xc4\xb1ng", "chunked")], "InvalidHeaderName")
dg("Transfer---Encoding is another field", A, "POST", "HTTP/1.1", [("Transfer---Encoding", "chunked")], None, events=no_body("POST"))
dg("Transfer___Encoding is another field", A, "POST", "HTTP/1.1", [("Transfer___Encoding", "chunked")], None, events=no_body("POST"))
dg("UTF-8 space before Transfer-Encoding", A, "POST", "HTTP/1.1", [("\xe2\x80\x83Transfer-Encoding", "chunked")], "InvalidHeaderName")
dg("UTF-8 space after Content-Length", A, "POST", "HTTP/1.1", [("Content-Length\xe2\x80\x83", "1000")], "InvalidHeaderName")
dg("UTF-8 dash in Transfer-Encoding", A, "POST", "HTTP/1.1", [("Transfer\xe2\x80\x95Encoding", "chunked")], "InvalidHeaderName")
dg("Transfer-Encoding\\x88", A, "POST", "HTTP/1.1", [("Transfer-Encoding\x88", "chunked")], "InvalidHeaderName")
dg("\\xa0Content-Length", A, "POST", "HTTP/1.1", [("\xa0Content-Length", "100")], "InvalidHeaderName")

# --- narfindustries/http-garden TROPHIES.md (server and transducer bugs): the published payloads
HG = "http-garden"
CHUNK_SMUGGLE = "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0_2e\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"
garden = [
    ("server 1/22: chunk size 0_2e", CHUNK_SMUGGLE, "InvalidChunkSize"),
    ("server 2: NUL and CR in a value", "GET / HTTP/1.1\r\nHost: a\r\nHeader: v\x00\ralue\r\n\r\n", "InvalidHeaderValue"),
    ("server 3: Content-Length before colon SP", "GET / HTTP/1.1\r\nHost: whatever\r\nContent-Length : 34\r\n\r\nGET / HTTP/1.1\r\nHost: whatever\r\n\r\n", "SpaceBeforeColon"),
    ("server 4: HTAB before the first field", "GET / HTTP/1.1\r\n\tContent-Length: 1\r\n\r\nX", "ObsFold"),
    ("server 5: HTTP/1.32", "GET /test HTTP/1.32\r\n\r\n", "InvalidVersion"),
    ("server 6: method with separators", "G=\":<>(e),[T];?\" /get HTTP/1.1\r\n\r\n", "InvalidMethod"),
    ("server 9: LF between target and version", "GET /\nHTTP/1.1\r\n\r\n", "InvalidStartLine"),
    ("server 10: Content-Length +1_0", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: +1_0\r\n\r\n0123456789", "InvalidContentLength"),
    ("server 11: two Transfer-Encoding: chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nZ\r\n0\r\n\r\n", "InvalidTransferEncoding"),
    ("server 12: NBSP around chunked", "POST / HTTP/1.1\r\nHost: whatever\r\nTransfer-Encoding: \xa0chunked\xa0\r\n\r\n0\r\n\r\n", "InvalidTransferEncoding"),
    ("server 13: CR as a field line end", "GET / HTTP/1.1\r\nHost: a\r\nVisible: :/\rSmuggled: :)\r\n\r\n", "BareCr"),
    ("server 14: CTLs and separators in a name", "GET / HTTP/1.1\r\nHost: a\r\n\x00\x01\x02\x03 \"(),/;<=>?@[/]{}: whatever\r\n\r\n", "InvalidHeaderName"),
    ("server 15: HTTP/\\r\\r1.1", "GET / HTTP/\r\r1.1\r\n\r\n", "InvalidVersion"),
    ("server 16/38: empty Content-Length", "GET / HTTP/1.1\r\nHost: whatever\r\nContent-Length: \r\n\r\nGET / HTTP/1.1\r\nHost: localhost\r\n\r\n", "InvalidContentLength"),
    ("server 17: empty chunk size", "GET / HTTP/1.1\r\nHost: whatever\r\nTransfer-Encoding: chunked\r\n\r\n\r\n\r\n", "InvalidChunkSize"),
    ("server 18/27: empty field name", "GET / HTTP/1.1\r\n: ignored\r\nHost: whatever\r\n\r\n", "InvalidHeaderName"),
    ("server 19: LF after an empty value", "GET / HTTP/1.1\r\nHost: a\r\nUseless:\n\nGET / HTTP/1.1\r\n\r\n", "BareLf"),
    ("server 20: \\x85 before the colon", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length\x85: 10\r\n\r\n0123456789", "InvalidHeaderName"),
    ("server 21: ,chunked with Content-Length", "GET / HTTP/1.1\r\nHost: whatever\r\nTransfer-Encoding: ,chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", "ContentLengthWithTransferEncoding"),
    ("server 23: Content-Length 1 then 0", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 0\r\n\r\nZ", "DuplicateContentLength"),
    ("server 24: HTTP/4294967295.255", "GET / HTTP/4294967295.255\r\n\r\n", "InvalidVersion"),
    ("server 26: negative Content-Length", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -48\r\n\r\n", "InvalidContentLength"),
    ("server 28: field without colon", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length 10\r\n\r\n0123456789", "SpaceBeforeColon"),
    ("server 29: Content-Length 1Z", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1Z\r\n\r\nZ", "InvalidContentLength"),
    ("server 30: CR LF CR Z", "GET / HTTP/1.1\r\nHost: a\r\n\rZGET /evil: HTTP/1.1\r\nHost: a\r\n\r\n", "BareCr"),
    ("server 31: chunk line ended by CR CR", "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\r;ABCD\r\n34\r\nE\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", "BareCr"),
    ("server 33: Content-Length 0 then 1", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nContent-Length: 1\r\n\r\nZ", "DuplicateContentLength"),
    ("server 34: CR in a value", "GET / HTTP/1.1\r\nHost: whatever\r\nHeader: va\rlue\r\n\r\n", "BareCr"),
    ("server 35/43: NUL in a value", "GET / HTTP/1.1\r\nHost: whatever\r\nTest: test\x00THESE BYTES GET DROPPED\r\nConnection: close\r\n\r\n", "InvalidHeaderValue"),
    ("server 36: CR CR after a chunk extension", "POST /abc HTTP/1.1\r\nTransfer-Encoding: chunked\r\nHost: a\r\n\r\n41;a=b\r\rXXXX\r\n0\r\n\r\n", "BareCr"),
    ("server 37: name continued on the next line", "POST / HTTP/1.1\r\nHost: whatever\r\nTransfer-\r\nEncoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", "InvalidHeaderName"),
    ("server 40: NUL method, dotted version", "\x00 / HTTP/............0596.7407.\r\n\r\n", "InvalidMethod"),
    ("server 42: empty then real Content-Length", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\nContent-Length: 43\r\n\r\nPOST /evil HTTP/1.1\r\nContent-Length: 18\r\n\r\nGET / HTTP/1.1\r\n\r\n", "InvalidContentLength"),
    ("server 44: unknown coding blegh", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: blegh\r\n\r\n1\r\nZ\r\n0\r\n\r\n", "UnsupportedTransferEncoding"),
    ("server 46: \\xff around Host and chunked", "POST / HTTP/1.1\r\nHost: \xffa\xff\r\nTransfer-Encoding: \xffchunked\xff\r\n\r\n1\r\nZ\r\n0\r\n\r\n", "InvalidHost"),
    ("server 46: \\xff around chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \xffchunked\xff\r\n\r\n1\r\nZ\r\n0\r\n\r\n", "InvalidTransferEncoding"),
    ("server 47: invalid chunk size", "POST / HTTP/1.1\r\nHost: whatever\r\nTransfer-Encoding: chunked\r\n\r\nINVALID!!!\r\nGET / HTTP/1.1\r\nHost: whatever\r\n\r\n", "InvalidChunkSize"),
    ("transducer 1: Content-Length 0x10", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\nZ", "InvalidContentLength"),
    ("transducer 2: chunk size Z", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nZ\r\nZZ\r\nZZZ\r\n\r\n", "InvalidChunkSize"),
    ("transducer 3: CR before chunk ext", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\r;a\r\n02\r\n41\r\n0\r\n\r\n", "BareCr"),
    ("transducer 4: chunk size line 1 CR 0 LF", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r0\n", "BareCr"),
    ("transducer 6: \\x85 in a name", "GET / HTTP/1.1\r\nHost: fanout\r\nHeader\x85: value\r\n\r\n", "InvalidHeaderName"),
    ("transducer 7: junk after chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1these-bytes-never-get-validated\r\nZ\r\n0\r\n\r\n", "InvalidChunkSize"),
    ("transducer 10: CRs in a value", "GET / HTTP/1.1\r\nHost: a\r\nInvalid-Header: this\rvalue\ris\rinvalid\r\n\r\n", "BareCr"),
    ("transducer 11: empty Content-Length first", "GET / HTTP/1.1\r\nhost: whatever\r\ncontent-length: \r\ncontent-length: 59\r\n\r\n", "InvalidContentLength"),
    ("transducer 13: LF after chunk data", "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\na\r\n0123456789\n0\r\n\r\n", "MissingChunkCrlf"),
    ("transducer 14: LF inside a name", "GET / HTTP/1.1\r\nHost: whatever\r\nTe\nst: test\r\nConnection: close\r\n\r\n", "InvalidHeaderName"),
    ("transducer 15/18: ,chunked with Content-Length", "GET / HTTP/1.1\r\nHost: whatever\r\nTransfer-Encoding: ,chunked\r\nContent-Length: 5\r\nConnection: close\r\n\r\n0\r\n\r\n", "ContentLengthWithTransferEncoding"),
    ("transducer 16: LF line endings", "GET / HTTP/1.1\nHost: whatever\nConnection: close\n\n", "BareLf"),
    ("transducer 17: extra CRLF before the last chunk", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n17\r\n0\r\n\r\nGET / HTTP/1.1\r\n\r\n\r\n\r\n0\r\n\r\n", "InvalidChunkSize"),
]
# errors found in the body: the head (and any good data) is delivered first
BODY_STAGE = {
    "server 1/22: chunk size 0_2e": None, "server 17: empty chunk size": None,
    "server 31: chunk line ended by CR CR": None, "server 36: CR CR after a chunk extension": None,
    "server 47: invalid chunk size": None, "transducer 2: chunk size Z": None,
    "transducer 3: CR before chunk ext": None, "transducer 4: chunk size line 1 CR 0 LF": None,
    "transducer 7: junk after chunk size": None, "transducer 13: LF after chunk data": "0123456789",
    "transducer 17: extra CRLF before the last chunk": "0\r\n\r\nGET / HTTP/1.1\r\n\r\n",
}
for key, inp, kind in garden:
    if key in BODY_STAGE:
        add(in_body(f"{HG} {key}", "server", inp, kind, BODY_STAGE[key]))
    else:
        add(rejected(f"{HG} {key}", "server", inp, kind))
# the published payloads that a correct parser frames unambiguously
add(framed(f"{HG} server 32: Content-Length 010 is ten", "server",
           "GET / HTTP/1.1\r\nHost: whatever\r\nContent-Length: 010\r\n\r\n0123456789",
           [req("GET", "/", [("Host", "whatever"), ("Content-Length", "010")]), data("0123456789"), eom()]))
add(framed(f"{HG} server 39: trailer X:POST is a trailer", "server",
           "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX:POST / HTTP/1.1\r\n\r\n",
           [req("GET", "/", [("Host", "a"), ("Transfer-Encoding", "chunked")]), eom([("X", "POST / HTTP/1.1")])]))
add(framed(f"{HG} server 21: ,chunked alone is chunked", "server",
           "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,chunked\r\n\r\n1\r\nZ\r\n0\r\n\r\n",
           [req("POST", "/", [("Host", "a"), ("Transfer-Encoding", ",chunked")]), data("Z"), eom()]))
add(framed(f"{HG} server 45: close, then bytes are refused", "server",
           "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nInvalid\r\n\r\n",
           [req("GET", "/", [("Host", "a"), ("Connection", "close")]), eom()]))
requests[-1]["error"] = {"kind": "UnexpectedData", "status": 400}
# server 48: pipelined requests after Content-Length: 0 are requests, not body
add(framed(f"{HG} server 48: pipelined after Content-Length 0", "server",
           "POST / HTTP/1.1\r\nContent-Length: 0\r\nConnection:keep-alive\r\nHost: a\r\nid: 0\r\n\r\n"
           "POST / HTTP/1.1\r\nHost: a\r\nid: 1\r\nContent-Length: 34\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nid: 2\r\n\r\n",
           [req("POST", "/", [("Content-Length", "0"), ("Connection", "keep-alive"), ("Host", "a"), ("id", "0")]), eom(),
            req("POST", "/", [("Host", "a"), ("id", "1"), ("Content-Length", "34")]),
            data("GET / HTTP/1.1\r\nHost: a\r\nid: 2\r\n\r\n"), eom()]))

# --- Host of Troubles (Jianjun Chen et al., ACM CCS 2016) and RFC 9112 3.2: a Host value that is
# --- not uri-host [":" port] MUST get a 400, or front and back ends disagree about the origin
HT = "host-of-troubles"
for key, value, kind in [
    ("space inside Host", "a b", "InvalidHost"),
    ("userinfo in Host", "evil.com@a", "InvalidHost"),
    ("path in Host", "a/admin", "InvalidHost"),
    ("query in Host", "a?x", "InvalidHost"),
    ("non-numeric port", "a:80x", "InvalidHost"),
    ("two ports", "a:80:81", "InvalidHost"),
    ("unclosed IP literal", "[::1", "InvalidHost"),
    ("obs-text in Host", "caf\xe9.example", "InvalidHost"),
    ("comma-joined Host values", "a,b", None),
    ("IP literal with port", "[::1]:8080", None),
    ("empty Host", "", None),
]:
    inp = f"GET / HTTP/1.1\r\nHost: {value}\r\n\r\n"
    if kind:
        add(rejected(f"{HT}: {key}", "server", inp, kind))
    else:
        add(framed(f"{HT}: {key}", "server", inp, [req("GET", "/", [("Host", value)]), eom()]))
add(rejected(f"{HT}: Host folded onto a second line", "server", "GET / HTTP/1.1\r\nHost: a\r\n b\r\n\r\n", "ObsFold"))
add(rejected(f"{HT}: second Host field", "server", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "DuplicateHost"))
add(rejected(f"{HT}: Host with space before colon", "server", "GET / HTTP/1.1\r\nHost : b\r\nHost: a\r\n\r\n", "SpaceBeforeColon"))

# --- RFC 9110 9.3.6: a CONNECT request has no content; llhttp tunnels announced bytes, h11 reads
# --- them as a body: h1x refuses the ambiguity
CONNECT = "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n"
add(rejected("RFC 9110 9.3.6: CONNECT with Content-Length", "server",
             CONNECT + "Content-Length: 10\r\n\r\nblarfcicle\x16\x03\x01", "BodyInConnect"))
add(rejected("RFC 9110 9.3.6: CONNECT with chunked", "server",
             CONNECT + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n\x16\x03\x01", "BodyInConnect"))
add(framed("RFC 9110 9.3.6: CONNECT with Content-Length 0 is a tunnel", "server",
           CONNECT + "Content-Length: 0\r\n\r\n\x16\x03\x01",
           [req("CONNECT", "a:443", [("Host", "a:443"), ("Content-Length", "0")]), eom(), PAUSED]))

# ------------------------------------------------------------------------------------------------
responses = []
radd = responses.append
OK = [("Content-Length", "2")]
FINAL = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
FINAL_EV = [resp(200, "OK", OK), data("ok"), eom()]
L = "llhttp"
# interim responses never have a body (RFC 9110 15.2), whatever framing fields they carry
radd(framed(f"{L}: 104 with Content-Length has no body", "client",
            "HTTP/1.1 104 Upload Resumption\r\nContent-Length: 5\r\n\r\n" + FINAL,
            [info(104, "Upload Resumption", [("Content-Length", "5")])] + FINAL_EV))
radd(framed("RFC 9110: 100 with Transfer-Encoding has no body", "client",
            "HTTP/1.1 100 Continue\r\nTransfer-Encoding: chunked\r\n\r\n" + FINAL,
            [info(100, "Continue", [("Transfer-Encoding", "chunked")])] + FINAL_EV))
radd(framed("RFC 9110: 102 with Content-Length then 103 then 200", "client",
            "HTTP/1.1 102 Processing\r\nContent-Length: 30\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n" + FINAL,
            [info(102, "Processing", [("Content-Length", "30")]), info(103, "Early Hints", [("Link", "</a.css>; rel=preload")])] + FINAL_EV))
radd(framed("RFC 9110: 199 is interim and has no body", "client",
            "HTTP/1.1 199 Whatever\r\nContent-Length: 2\r\n\r\n" + FINAL,
            [info(199, "Whatever", [("Content-Length", "2")])] + FINAL_EV))
radd(framed("RFC 9110: 204 with Content-Length has no body", "client",
            "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
            [resp(204, "No Content", [("Content-Length", "5")]), eom()]))
radd(framed("RFC 9110: 304 with Transfer-Encoding has no body", "client",
            "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
            [resp(304, "Not Modified", [("Transfer-Encoding", "chunked")]), eom()]))
radd(framed("RFC 9110: response to HEAD with Content-Length has no body", "client",
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
            [resp(200, "OK", [("Content-Length", "5")]), eom()],
            request={"method": "HEAD", "target": "/", "headers": [["Host", "example.com"]]}))
radd(framed("RFC 9112 6.3: 2xx to CONNECT is a tunnel, its Content-Length ignored", "client",
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n\x16\x03\x01",
            [resp(200, "OK", [("Content-Length", "5")]), PAUSED],
            request={"method": "CONNECT", "target": "a:443", "headers": [["Host", "a:443"]]}))
radd(rejected("RFC 9110: 101 without Upgrade in the request", "client",
              "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n", "UnexpectedSwitch"))
# Transfer-Encoding overrides Content-Length in a response; the connection then closes
radd(framed("RFC 9112 6.3: TE and CL in a response: chunked wins, then close", "client",
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n",
            [resp(200, "OK", [("Content-Length", "5"), ("Transfer-Encoding", "chunked")]), data("ok"), eom()]))
responses[-1]["error"] = {"kind": "UnexpectedData", "status": 400}
radd(framed("RFC 9112 6.3: chunked not last in a response: read until close", "client",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n2\r\nok\r\n0\r\n\r\n",
            [resp(200, "OK", [("Transfer-Encoding", "chunked, gzip")]), data("2\r\nok\r\n0\r\n\r\n"), eom(), CLOSED], eof=True))
radd(framed("RFC 9112 6.3: unknown coding in a response: read until close", "client",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunkedchunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
            [resp(200, "OK", [("Transfer-Encoding", "chunkedchunked")]), data("2\r\nok\r\n0\r\n\r\n"), eom(), CLOSED], eof=True))
radd(framed("RFC 9112 6.3: no framing in a response: read until close", "client",
            "HTTP/1.1 200 OK\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
            [resp(200, "OK", []), data("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), eom(), CLOSED], eof=True))
for key, fields, kind in [
    ("differing Content-Length", "Content-Length: 2\r\nContent-Length: 3\r\n", "DuplicateContentLength"),
    ("Content-Length list", "Content-Length: 2, 2\r\n", "DuplicateContentLength"),
    ("Content-Length +2", "Content-Length: +2\r\n", "InvalidContentLength"),
    ("Content-Length 0x2", "Content-Length: 0x2\r\n", "InvalidContentLength"),
    ("empty Content-Length", "Content-Length: \r\n", "InvalidContentLength"),
    ("two Transfer-Encoding: chunked", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "InvalidTransferEncoding"),
    ("quoted chunked", "Transfer-Encoding: \"chunked\"\r\n", "InvalidTransferEncoding"),
    ("space before colon", "Content-Length : 2\r\n", "SpaceBeforeColon"),
    ("obs-fold (strict)", "X: a\r\n b\r\nContent-Length: 2\r\n", "ObsFold"),
    ("bare LF after a field", "Content-Length: 2\n", "BareLf"),
    ("bare CR in a value", "X: a\rContent-Length: 2\r\n", "BareCr"),
    ("NUL in a value", "X: a\x00b\r\n", "InvalidHeaderValue"),
    ("vertical tab before chunked", "Transfer-Encoding: \x0bchunked\r\n", "InvalidHeaderValue"),
]:
    radd(rejected(f"RFC 9112: response with {key}", "client", "HTTP/1.1 200 OK\r\n" + fields + "\r\nok", kind))
radd(rejected("RFC 9112 6.1: Transfer-Encoding in an HTTP/1.0 response", "client",
              "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "TransferEncodingInHttp10"))
for key, line, kind in [
    ("two-digit status", "HTTP/1.1 20 OK", "InvalidStatus"),
    ("four-digit status", "HTTP/1.1 2000 OK", "InvalidStatus"),
    ("status 099", "HTTP/1.1 099 X", "InvalidStatus"),
    ("double space before status", "HTTP/1.1  200 OK", "InvalidStatus"),
    ("tab after version", "HTTP/1.1\t200 OK", "InvalidStartLine"),
    ("lower-case version", "http/1.1 200 OK", "InvalidVersion"),
    ("HTTP/1.10", "HTTP/1.10 200 OK", "InvalidStartLine"),
    ("HTTP/2.0", "HTTP/2.0 200 OK", "UnsupportedVersion"),
    ("control byte in reason", "HTTP/1.1 200 O\x01K", "InvalidReason"),
]:
    radd(rejected(f"RFC 9112 4: status line with {key}", "client", line + "\r\nContent-Length: 0\r\n\r\n", kind))
# chunked response bodies: the same decoder, the same refusals
CH = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
for key, body, kind, good in [
    ("chunk size 0x2", "0x2\r\nok\r\n0\r\n\r\n", "InvalidChunkSize", None),
    ("chunk size with trailing SP", "2 \r\nok\r\n0\r\n\r\n", "InvalidChunkSize", None),
    ("chunk size -2", "-2\r\nok\r\n0\r\n\r\n", "InvalidChunkSize", None),
    ("chunk data not followed by CRLF", "2\r\nokX\r\n0\r\n\r\n", "MissingChunkCrlf", "ok"),
    ("chunk line ended by CR CR", "2\r\rok\r\n0\r\n\r\n", "BareCr", None),
    ("chunk size overflowing 64 bits", "10000000000000000\r\n", "InvalidChunkSize", None),
]:
    radd(in_body(f"http-garden: chunked response with {key}", "client", CH + body, kind, good))


def write(fname, desc, cases):
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names)), [n for n in names if names.count(n) > 1]
    with open(os.path.join(OUT, fname), "w") as f:
        json.dump({"description": desc, "cases": cases}, f, indent=1, ensure_ascii=False)
        f.write("\n")


write("smuggling_corpus.json",
      "Request smuggling corpus: the Transfer-Encoding and Content-Length obfuscations of public "
      "research, every one rejected (with the error kind named) or framed unambiguously. Sources, "
      "named in each case's prefix: `smuggler` = defparam/smuggler configs/exhaustive.py (MIT, "
      "Evan Custodio), every named mutation and the midspace/endspace/postspace/prespace byte "
      "sweeps; `portswigger` = PortSwigger Web Security Academy's request-smuggling pages, James "
      "Kettle's HTTP Desync Attacks (2019) and Browser-Powered Desync Attacks (2022), and the "
      "chunk-line cases of Jeppe Bonde Weikop's Funky Chunks (2025); `desync-guardian` = "
      "aws/http-desync-guardian (Apache-2.0) tests/severe.yaml and tests/ambiguous.yaml; "
      "`http-garden` = narfindustries/http-garden TROPHIES.md payloads (server and transducer "
      "bugs); `host-of-troubles` = Chen et al., Host of Troubles (ACM CCS 2016), Host values "
      "RFC 9112 section 3.2 requires a 400 for. Written by core/tests/conformance/gen_smuggling.py; expected outcomes follow RFC "
      "9110/9112 and h1x's documented rules.",
      requests)
write("smuggling_responses.json",
      "Response framing and desync corpus, decoded by a client: interim responses never carry a "
      "body whatever their fields say (llhttp frames one after a 104 with Content-Length), 204/304/"
      "HEAD responses have none, Transfer-Encoding overrides Content-Length and closes, the "
      "request side's obfuscations are refused in responses too. Sources in each case's prefix: "
      "RFC 9110/9112, llhttp, http-garden. Written by core/tests/conformance/gen_smuggling.py.",
      responses)
print(len(requests), len(responses))
