#!/usr/bin/env python3
"""Writes requests.json, smuggling_requests.json, targets.json, interim.json and responses.json.

Expected error offsets are given as markers in the input (the offset of a substring), never
copied from a run. Other files in this folder are written by hand or by their own tools."""
import json, os
OUT = os.path.dirname(os.path.abspath(__file__))
def req(method, target, headers, version="1.1"):
    return {"type":"request","method":method,"target":target,"version":version,"headers":headers}
def resp(status, reason, headers, version="1.1"):
    return {"type":"response","status":status,"reason":reason,"version":version,"headers":headers}
def info(status, reason, headers=[], version="1.1"):
    return {"type":"informational_response","status":status,"reason":reason,"version":version,"headers":headers}
def data(d): return {"type":"data","data":d}
def eom(h=[]): return {"type":"end_of_message","headers":h}
CLOSED={"type":"connection_closed"}; PAUSED={"type":"paused"}
def err(kind, offset=None):
    e={"kind":kind}
    if offset is not None: e["offset"]=offset
    return e
def case(name, role, inp, events, error=None, **kw):
    c={"name":name,"role":role,"input":inp,"events":events}
    if error and isinstance(error.get("offset"), (str, tuple)):
        m = error["offset"]; m, plus = (m, 0) if isinstance(m, str) else m
        assert m in inp, (name, m)
        error["offset"] = inp.rindex(m) + plus if m.startswith("@") is False and m.endswith("$") else inp.index(m) + plus
    if error: c["error"]=error
    c.update(kw)
    return c
H=[["Host","a"]]
def write(fname, desc, cases):
    with open(os.path.join(OUT,fname),"w") as f:
        json.dump({"description":desc,"cases":cases}, f, indent=1, ensure_ascii=False)
        f.write("\n")

G="GET / HTTP/1.1\r\nHost: a\r\n\r\n"
write("requests.json", "Request heads and bodies decoded by a server.", [
 case("simple GET","server",G,[req("GET","/",H),eom()]),
 case("leading empty lines are skipped","server","\r\n\r\n"+G,[req("GET","/",H),eom()]),
 case("header whitespace trimmed, case kept","server","GET /x?y=1 HTTP/1.1\r\nHost: a\r\nX-Thing:  \t v a l \t \r\nEmpty:\r\n\r\n",
      [req("GET","/x?y=1",[["Host","a"],["X-Thing","v a l"],["Empty",""]]),eom()]),
 case("obs-text in value","server","GET / HTTP/1.1\r\nHost: a\r\nX: caf\u00e9\r\n\r\n",[req("GET","/",[["Host","a"],["X","caf\u00e9"]]),eom()]),
 case("content-length body","server","POST /u HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
      [req("POST","/u",[["Host","a"],["Content-Length","5"]]),data("hello"),eom()]),
 case("chunked body with extensions and trailers","server",
      "POST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;name=val;q=\"a b\"\r\nhello\r\n6\r\n world\r\n0\r\nChecksum: abc\r\nX-T: 1\r\n\r\n",
      [req("POST","/u",[["Host","a"],["Transfer-Encoding","chunked"]]),data("hello world"),eom([["Checksum","abc"],["X-T","1"]])]),
 case("gzip then chunked is framed as chunked","server",
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
      [req("POST","/",[["Host","a"],["Transfer-Encoding","gzip, chunked"]]),data("abc"),eom()]),
 case("HTTP/1.0 request without Host","server","GET / HTTP/1.0\r\n\r\n",[req("GET","/",[],"1.0"),eom()]),
 case("HTTP/1.2 read as 1.1","server","GET / HTTP/1.2\r\nHost: a\r\n\r\n",[req("GET","/",H),eom()]),
 case("absolute-form and asterisk targets","server","OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\nGET http://a/b HTTP/1.1\r\nHost: a\r\n\r\n",
      [req("OPTIONS","*",H),eom(),req("GET","http://a/b",H),eom()]),
 case("pipelined requests","server",G+"POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi"+G,
      [req("GET","/",H),eom(),req("POST","/2",[["Host","a"],["Content-Length","2"]]),data("hi"),eom(),req("GET","/",H),eom()]),
 case("clean EOF between requests","server",G,[req("GET","/",H),eom(),CLOSED],eof=True),
 case("EOF mid-head","server","GET / HTTP/1.1\r\nHo",[],err("IncompleteMessage"),eof=True),
 case("EOF mid-body","server","POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhel",
      [req("POST","/",[["Host","a"],["Content-Length","5"]]),data("hel")],err("IncompleteMessage"),eof=True),
 case("Connection: close then more bytes","server","GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"+G,
      [req("GET","/",[["Host","a"],["Connection","close"]]),eom()],err("UnexpectedData",("\r\n\r\nGET",4))),
 case("Upgrade request pauses after the request","server","GET /ws HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n\x00\x01binary",
      [req("GET","/ws",[["Host","a"],["Connection","upgrade"],["Upgrade","websocket"]]),eom(),PAUSED]),
 case("CONNECT pauses","server","CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n\x16\x03\x01",
      [req("CONNECT","a:443",[["Host","a:443"]]),eom(),PAUSED]),
 case("too many headers","server","GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n",[],err("TooManyHeaders","B: 2"),config={"max_headers":2}),
 case("head too large","server","GET / HTTP/1.1\r\nHost: a\r\nA: 0123456789\r\n\r\n",[],err("HeadTooLarge",32),config={"max_head_bytes":32}),
 case("request line too long","server","GET /0123456789abcdef HTTP/1.1\r\nHost: a\r\n\r\n",[],err("UriTooLong",16),config={"max_line_bytes":16}),
 case("field line too long","server","GET / HTTP/1.1\r\nHost: a\r\nX: 0123456789abcdef\r\n\r\n",[],err("LineTooLong",41),config={"max_line_bytes":16}),
 case("lenient bare LF","server","GET / HTTP/1.1\nHost: a\n\n",[req("GET","/",H),eom()],config={"leniency":["BARE_LF"]}),
 case("lenient missing Host","server","GET / HTTP/1.1\r\n\r\n",[req("GET","/",[]),eom()],config={"leniency":["MISSING_HOST"]}),
 case("lenient identical Content-Length","server","POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\nx",
      [req("POST","/",[["Host","a"],["Content-Length","1, 1"]]),data("x"),eom()],config={"leniency":["DUPLICATE_CONTENT_LENGTH"]}),
 case("expect 100-continue request","server","PUT /f HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
      [req("PUT","/f",[["Host","a"],["Expect","100-continue"],["Content-Length","3"]]),data("abc"),eom()]),
])

def bad(name, inp, kind, offset, status=None, events=(), **kw):
    e=err(kind,offset)
    if status: e["status"]=status
    return case(name,"server",inp,list(events),e,**kw)
TEH=[["Host","a"],["Transfer-Encoding","chunked"]]
CHUNKED=[req("POST","/",TEH)]
write("smuggling_requests.json", "Framing and smuggling cases in requests (DESIGN.md's list): each rejected with its kind, offset and status.", [
 bad("CL and TE together","POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n","ContentLengthWithTransferEncoding","Transfer-Encoding",400),
 bad("TE and CL together","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n","ContentLengthWithTransferEncoding","Transfer-Encoding"),
 bad("differing Content-Length fields","POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n","DuplicateContentLength","Content-Length: 6"),
 bad("identical Content-Length fields (strict)","POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n","DuplicateContentLength","Content-Length: 5\r\n\r\n"),
 bad("Content-Length list","POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 10\r\n\r\n","DuplicateContentLength","Content-Length"),
 bad("Content-Length +5","POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n","InvalidContentLength","+5"),
 bad("Content-Length -1","POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n","InvalidContentLength","-1"),
 bad("Content-Length 0x5","POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\n","InvalidContentLength","0x5"),
 bad("Content-Length 1 0","POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 0\r\n\r\n","InvalidContentLength","1 0"),
 bad("Content-Length empty","POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n","InvalidContentLength",("Content-Length: ",16)),
 bad("Content-Length over 2^63","POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n","InvalidContentLength","9999"),
 bad("space before colon","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n","SpaceBeforeColon"," :"),
 bad("tab before colon","POST / HTTP/1.1\r\nHost: a\r\nContent-Length\t: 1\r\n\r\n","SpaceBeforeColon","\t:"),
 bad("obs-fold in a request","GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n","ObsFold",31),
 bad("obs-fold right after request line","GET / HTTP/1.1\r\n Host: a\r\n\r\n","ObsFold",16),
 bad("bare LF in request line","GET / HTTP/1.1\nHost: a\r\n\r\n","BareLf",14),
 bad("bare LF after field","GET / HTTP/1.1\r\nHost: a\n\r\n","BareLf",23),
 bad("bare LF as terminator","GET / HTTP/1.1\r\nHost: a\r\n\n","BareLf",25),
 bad("bare CR in field value","GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n","BareCr",23),
 bad("CR LF CR X","GET / HTTP/1.1\r\nHost: a\r\n\rX","BareCr",25),
 bad("NUL in value","GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n","InvalidHeaderValue",29),
 bad("vertical tab in value","GET / HTTP/1.1\r\nHost: a\r\nX: a\x0bb\r\n\r\n","InvalidHeaderValue",29),
 bad("DEL in value","GET / HTTP/1.1\r\nHost: a\r\nX: a\x7fb\r\n\r\n","InvalidHeaderValue",29),
 bad("empty field name","GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n","InvalidHeaderName",25),
 bad("non-token field name","GET / HTTP/1.1\r\nHost: a\r\nX(y): b\r\n\r\n","InvalidHeaderName",26),
 bad("field without colon","GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n","InvalidHeaderName",32),
 bad("chunked not last","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n","InvalidTransferEncoding","chunked, gzip",400),
 bad("chunked twice","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n","InvalidTransferEncoding",("Transfer-Encoding: chunked\r\n\r\n",19)),
 bad("chunkedchunked","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunkedchunked\r\n\r\n","UnsupportedTransferEncoding","Transfer-Encoding",501),
 bad("quoted chunked","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \"chunked\"\r\n\r\n","InvalidTransferEncoding","\"chunked"),
 bad("vertical tab chunked","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \x0bchunked\r\n\r\n","InvalidHeaderValue","\x0b"),
 bad("NBSP chunked","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \u00a0chunked\r\n\r\n","InvalidTransferEncoding","\u00a0"),
 bad("unknown coding","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: br\r\n\r\n","UnsupportedTransferEncoding","Transfer-Encoding",501),
 bad("unknown coding before chunked","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: foo, chunked\r\n\r\n","UnsupportedTransferEncoding","Transfer-Encoding",501),
 bad("TE in HTTP/1.0","POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n","TransferEncodingInHttp10",17),
 bad("empty chunk size","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\r\n","InvalidChunkSize",("\r\n\r\n",4),events=CHUNKED),
 bad("signed chunk size","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n","InvalidChunkSize",("\r\n\r\n",4),events=CHUNKED),
 bad("0x chunk size","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n","InvalidChunkSize",("\r\n\r\n",5),events=CHUNKED),
 bad("underscore in chunk size","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1_0\r\n","InvalidChunkSize",("\r\n\r\n",5),events=CHUNKED),
 bad("space inside chunk size","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1 0\r\n","InvalidChunkSize",("\r\n\r\n",6),events=CHUNKED),
 bad("chunk size overflow","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n","InvalidChunkSize",("\r\n\r\n",4+16),events=CHUNKED),
 bad("bare LF in chunk extension","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;a\nx\r\n","BareLf","\nx",events=CHUNKED),
 bad("bare CR in quoted extension","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;a=\"\r\"\r\nx\r\n","InvalidChunkExtension","\r\"",events=CHUNKED),
 bad("chunk extension too long","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;aaaaaaaa\r\nx\r\n","ChunkExtensionTooLong",(";",8),413,config={"max_chunk_ext_bytes":8},events=CHUNKED),
 bad("chunk data not followed by CRLF","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXX0\r\n\r\n","MissingChunkCrlf","XX",events=CHUNKED+[data("abc")]),
 bad("missing Host","GET / HTTP/1.1\r\n\r\n","MissingHost",0),
 bad("two Host fields","GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n","DuplicateHost",0),
 bad("double space in request line","GET  / HTTP/1.1\r\nHost: a\r\n\r\n","InvalidStartLine",4),
 bad("HTTP/1.10","GET / HTTP/1.10\r\nHost: a\r\n\r\n","InvalidVersion",14),
 bad("lower-case version","GET / http/1.1\r\nHost: a\r\n\r\n","InvalidVersion",6),
 bad("HTTP/2.0 request","GET / HTTP/2.0\r\nHost: a\r\n\r\n","UnsupportedVersion",6,505),
 bad("HTTP/0.9 style request","GET /\r\n\r\n","InvalidStartLine",5),
 bad("trailer too large","POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: 0123456789\r\n\r\n","TrailerTooLarge",("0\r\n",3+8),431,config={"max_trailer_bytes":8},events=CHUNKED),
])

def target(name, method, tgt, events=None, error=None, host="a", version="1.1", **kw):
    """A request line with `tgt`; accepted (events default to the request and its end) or refused."""
    hs = [["Host", host]] if host is not None else []
    inp = method+" "+tgt+" HTTP/"+version+"\r\n"+"".join(n+": "+v+"\r\n" for n,v in hs)+"\r\n"
    if events is None and error is None:
        events = [req(method,tgt,hs,version),eom()] + ([PAUSED] if method=="CONNECT" else [])
    return case(name,"server",inp,events or [],error,**kw)
AT=(" ",1)  # the target's first byte: just after the method's SP
write("targets.json", "Request-target forms (RFC 9112 section 3.2) and the methods they go with; fragments, and userinfo in http(s) targets (RFC 9110 section 4.2.4).", [
 target("origin-form with a query","GET","/a/b?c=d&e=/f"),
 target("origin-form starting with two slashes","GET","//a"),
 target("asterisk-form with OPTIONS","OPTIONS","*"),
 target("origin-form with OPTIONS","OPTIONS","/x"),
 target("absolute-form http with port and query","GET","http://example.com:8080/a?b"),
 target("absolute-form https, scheme in upper case","GET","HTTPS://example.com"),
 target("absolute-form http with only a query","GET","http://example.com?q"),
 target("absolute-form with an IPv6 literal","GET","http://[::1]:80/"),
 target("absolute-form with OPTIONS","OPTIONS","http://example.com"),
 target("absolute-form of another scheme","GET","urn:isbn:0451450523"),
 target("absolute-form: Host differs from the target's authority (the target wins)","GET","http://example.com/",host="other.example"),
 target("absolute-form in HTTP/1.0 without Host","GET","http://example.com/",host=None,version="1.0"),
 target("CONNECT host:port","CONNECT","example.com:443",host="example.com:443"),
 target("CONNECT IPv6 literal and port","CONNECT","[2001:db8::1]:8443",host="[2001:db8::1]:8443"),
 target("fragment in origin-form","GET","/a?b#frag",error=err("InvalidTarget","#frag")),
 target("fragment alone","GET","#",error=err("InvalidTarget","#")),
 target("empty fragment","GET","/#",error=err("InvalidTarget","#")),
 target("fragment in absolute-form","GET","http://a/b#c",error=err("InvalidTarget","#")),
 target("fragment in authority-form","CONNECT","a#:443",error=err("InvalidTarget","#")),
 target("asterisk-form with GET","GET","*",error=err("TargetFormMismatch",AT)),
 target("asterisk-form with a query","OPTIONS","*?a",error=err("InvalidTarget",AT)),
 target("asterisk then path","OPTIONS","*/a",error=err("InvalidTarget",AT)),
 target("authority-form with GET","GET","example.com:443",error=err("TargetFormMismatch",AT)),
 target("authority-form with OPTIONS","OPTIONS","example.com:80",error=err("TargetFormMismatch",AT)),
 target("CONNECT with origin-form","CONNECT","/",error=err("TargetFormMismatch",AT)),
 target("CONNECT without port","CONNECT","example.com",error=err("TargetFormMismatch",AT)),
 target("CONNECT with an empty port","CONNECT","example.com:",error=err("TargetFormMismatch",AT)),
 target("CONNECT without host","CONNECT",":443",error=err("TargetFormMismatch",AT)),
 target("CONNECT with asterisk-form","CONNECT","*",error=err("TargetFormMismatch",AT)),
 target("CONNECT with absolute-form","CONNECT","http://example.com:443/",error=err("TargetFormMismatch",AT)),
 target("CONNECT with userinfo","CONNECT","user@example.com:443",error=err("TargetFormMismatch",AT)),
 target("http target with userinfo","GET","http://user@example.com/",error=err("InvalidTarget",AT)),
 target("https target with user and password","GET","https://user:pw@example.com/",error=err("InvalidTarget",AT)),
 target("http target with empty userinfo","GET","http://@example.com/",error=err("InvalidTarget",AT)),
 target("http target with an empty host","GET","http:///a",error=err("InvalidTarget",AT)),
 target("http target with a port but no host","GET","http://:80/",error=err("InvalidTarget",AT)),
 target("http target without //","GET","http:/a",error=err("InvalidTarget",AT)),
 target("http target with a bad port","GET","http://a:8x/",error=err("InvalidTarget",AT)),
 target("relative path","GET","index.html",error=err("InvalidTarget",AT)),
 target("query without path","GET","?a=b",error=err("InvalidTarget",AT)),
 target("absolute-form without Host in HTTP/1.1","GET","http://example.com/",host=None,error=err("MissingHost",0)),
 case("absolute-form with two Host fields","server","GET http://a/ HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n",[],err("DuplicateHost",0)),
 target("the version is checked before the form","GET","*",version="2.0",error=err("UnsupportedVersion",6)),
])

R="HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
OKH=[["Content-Length","2"]]
write("interim.json", "Interim (1xx) responses decoded by a client: any number, unknown codes, never a body.", [
 case("102 102 103 then 200","client","HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\nLink: </app.js>; rel=preload\r\n\r\n"+R,
      [info(102,"Processing"),info(102,"Processing"),info(103,"Early Hints",[["Link","</style.css>; rel=preload"],["Link","</app.js>; rel=preload"]]),resp(200,"OK",OKH),data("ok"),eom()]),
 case("100 then 200","client","HTTP/1.1 100 Continue\r\n\r\n"+R,[info(100,"Continue"),resp(200,"OK",OKH),data("ok"),eom()]),
 case("104 with Content-Length has no body","client","HTTP/1.1 104 Upload Resumption Supported\r\nContent-Length: 5\r\n\r\n"+R,
      [info(104,"Upload Resumption Supported",[["Content-Length","5"]]),resp(200,"OK",OKH),data("ok"),eom()]),
 case("1xx with Transfer-Encoding has no body","client","HTTP/1.1 150 Custom\r\nTransfer-Encoding: chunked\r\n\r\n"+R,
      [info(150,"Custom",[["Transfer-Encoding","chunked"]]),resp(200,"OK",OKH),data("ok"),eom()]),
 case("unknown 199 without reason","client","HTTP/1.1 199\r\n\r\n"+R,[info(199,""),resp(200,"OK",OKH),data("ok"),eom()]),
 case("thirty 102 heartbeats","client","HTTP/1.1 102 Processing\r\nProgress: 1/30\r\n\r\n"*30+R,
      [info(102,"Processing",[["Progress","1/30"]])]*30+[resp(200,"OK",OKH),data("ok"),eom()]),
 case("101 without Upgrade is refused","client","HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n",[],err("UnexpectedSwitch")),
 case("101 after Upgrade switches","client","HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n\x81\x00",
      [info(101,"Switching Protocols",[["Upgrade","websocket"],["Connection","upgrade"]]),PAUSED],
      request={"method":"GET","target":"/ws","headers":[["Host","a"],["Connection","upgrade"],["Upgrade","websocket"]]}),
 case("Upgrade declined with 200","client",R,[resp(200,"OK",OKH),data("ok"),eom()],
      request={"method":"GET","target":"/ws","headers":[["Host","a"],["Connection","upgrade"],["Upgrade","websocket"]]}),
 case("interim before a HEAD response","client","HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n",
      [info(103,"Early Hints",[["Link","</a>"]]),resp(200,"OK",[["Content-Length","100"]]),eom()],request={"method":"HEAD","target":"/","headers":H}),
 case("CONNECT 200 pauses as a tunnel","client","HTTP/1.1 200 Connection established\r\n\r\n\x16\x03",
      [resp(200,"Connection established",[]),PAUSED],request={"method":"CONNECT","target":"a:443","headers":[["Host","a:443"]]}),
 case("keep-alive: second cycle with interim","client",R+"HTTP/1.1 102 Processing\r\n\r\n"+R,
      [resp(200,"OK",OKH),data("ok"),eom(),info(102,"Processing"),resp(200,"OK",OKH),data("ok"),eom()]),
 case("EOF after interim","client","HTTP/1.1 102 Processing\r\n\r\n",[info(102,"Processing")],err("IncompleteMessage"),eof=True),
 case("response before request is unexpected","server","HTTP/1.1 200 OK\r\n\r\n",[],err("InvalidMethod","/1.1")),
 case("status with four digits","client","HTTP/1.1 1000 X\r\n\r\n",[],err("InvalidStatus",12)),
 case("status 099","client","HTTP/1.1 099 X\r\n\r\n",[],err("InvalidStatus",9)),
])

write("responses.json", "Final responses decoded by a client: framing per RFC 9112 section 6.3.", [
 case("204 ignores Content-Length","client","HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",[resp(204,"No Content",[["Content-Length","5"]]),eom()]),
 case("304 has no body","client","HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n",[resp(304,"Not Modified",[["Content-Length","5"]]),eom()]),
 case("chunked response with trailers","client","HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nServer-Timing: db;dur=5\r\n\r\n",
      [resp(200,"OK",[["Transfer-Encoding","chunked"]]),data("ok"),eom([["Server-Timing","db;dur=5"]])]),
 case("read until close","client","HTTP/1.1 200 OK\r\n\r\nsome body",[resp(200,"OK",[]),data("some body"),eom(),CLOSED],eof=True),
 case("HTTP/1.0 response until close","client","HTTP/1.0 200 OK\r\n\r\nold",[resp(200,"OK",[],"1.0"),data("old"),eom(),CLOSED],eof=True),
 case("TE and CL in a response: TE wins, then close","client","HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n",
      [resp(200,"OK",[["Content-Length","100"],["Transfer-Encoding","chunked"]]),data("ok"),eom()],err("UnexpectedData",("0\r\n\r\nHTTP",5))),
 case("TE without chunked last reads until close","client","HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n\x1f\x8b",
      [resp(200,"OK",[["Transfer-Encoding","gzip"]]),data("\x1f\x8b"),eom(),CLOSED],eof=True),
 case("obs-fold in a response (strict)","client","HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n",[],err("ObsFold"," b")),
 case("obs-fold in a response (lenient)","client","HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n",
      [resp(200,"OK",[["X","a\r\n b"],["Content-Length","0"]]),eom()],config={"leniency":["OBS_FOLD"]}),
 case("Connection: close response then EOF","client","HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
      [resp(200,"OK",[["Connection","close"],["Content-Length","0"]]),eom(),CLOSED],eof=True),
 case("missing SP before reason accepted","client","HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n",[resp(200,"",[["Content-Length","0"]]),eom()]),
 case("TE in HTTP/1.0 response","client","HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",[],err("TransferEncodingInHttp10",17)),
 case("HTTP/2 status line","client","HTTP/2.0 200 OK\r\n\r\n",[],err("UnsupportedVersion",0)),
 case("bad Content-Length in response","client","HTTP/1.1 200 OK\r\nContent-Length: 1,2\r\n\r\n",[],err("DuplicateContentLength",17)),
])
