use super::*;
use futures_util::{SinkExt, StreamExt};
use http::header::HeaderValue;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::codec::Framed;

const REQUEST: &[u8] = b"PUT /files/a.mp4 HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\
    Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\nT: v\r\n\r\n";

/// Decode `pieces` fed one after another; data joined, other items described.
fn decode_all(codec: &mut H1Codec, pieces: &[&[u8]]) -> (Vec<String>, Vec<u8>) {
    let mut buf = BytesMut::new();
    let mut items = Vec::new();
    let mut body = Vec::new();
    for piece in pieces {
        buf.extend_from_slice(piece);
        while let Some(item) = codec.decode(&mut buf).unwrap() {
            match item {
                Incoming::Head(h) => items.push(format!(
                    "{} {} {:?}",
                    h.request.method(),
                    h.request.uri(),
                    h.request.headers()
                )),
                Incoming::Data(d) => body.extend_from_slice(&d),
                Incoming::End(t) => items.push(format!("end {t:?}")),
            }
        }
    }
    (items, body)
}

#[test]
fn same_items_at_every_split_point() {
    let whole = decode_all(&mut H1Codec::new(), &[REQUEST]);
    assert_eq!(whole.1, b"hello world");
    assert!(whole.0[0].starts_with("PUT /files/a.mp4"), "{:?}", whole.0);
    assert!(
        whole.0[0].contains("\"expect\": \"100-continue\""),
        "{:?}",
        whole.0
    );
    assert_eq!(whole.0[1], "end Some({\"t\": \"v\"})");
    for at in 0..=REQUEST.len() {
        let (a, b) = REQUEST.split_at(at);
        assert_eq!(
            decode_all(&mut H1Codec::new(), &[a, b]),
            whole,
            "split at {at}"
        );
    }
}

#[test]
fn head_and_body_are_views_of_the_read_buffer() {
    let mut codec = H1Codec::new();
    let mut buf =
        BytesMut::from(&b"POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"[..]);
    let start = buf.as_ptr() as usize;
    let Some(Incoming::Head(head)) = codec.decode(&mut buf).unwrap() else {
        panic!()
    };
    let host = head.request.headers()["host"].as_bytes().as_ptr() as usize;
    assert_eq!(
        host - start,
        24,
        "the Host value points into the read buffer"
    );
    let Some(Incoming::Data(d)) = codec.decode(&mut buf).unwrap() else {
        panic!()
    };
    assert_eq!(&d[..], b"abc");
    assert_eq!(d.as_ptr() as usize - start, 48, "the body was not copied");
}

#[test]
fn interim_responses_are_checked_and_refusals_leave_the_connection_usable() {
    let mut codec = H1Codec::new();
    let mut buf = BytesMut::from(REQUEST);
    assert!(
        matches!(codec.decode(&mut buf).unwrap(), Some(Incoming::Head(h)) if h.expects_continue())
    );
    let mut out = BytesMut::new();
    let none = HeaderMap::new();
    codec
        .encode(Outgoing::Interim(StatusCode::CONTINUE, &none), &mut out)
        .unwrap();
    let mut progress = HeaderMap::new();
    progress.insert("progress", HeaderValue::from_static("1/10"));
    codec
        .encode(
            Outgoing::Interim(StatusCode::PROCESSING, &progress),
            &mut out,
        )
        .unwrap();
    assert_eq!(
        &out[..],
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nprogress: 1/10\r\n\r\n"
    );
    while let Some(item) = codec.decode(&mut buf).unwrap() {
        if matches!(item, Incoming::End(_)) {
            break;
        }
    }
    let head = ResponseHead {
        status: StatusCode::CREATED,
        headers: &none,
        content_length: Some(0),
    };
    codec.encode(Outgoing::Response(head), &mut out).unwrap();
    // nothing interim after the final response: h1x refuses, and the connection goes on
    let err = codec
        .encode_interim(StatusCode::PROCESSING, &none, &mut out)
        .unwrap_err();
    assert_eq!(err.kind(), h1x::ErrorKind::IllegalEvent);
    codec.encode(Outgoing::End(None), &mut out).unwrap();
    assert!(
        codec.start_next_cycle(),
        "keep-alive: ready for the next request"
    );
}

#[test]
fn no_interim_response_to_http10() {
    let mut codec = H1Codec::new();
    let mut buf = BytesMut::from(&b"GET / HTTP/1.0\r\n\r\n"[..]);
    assert!(matches!(
        codec.decode(&mut buf).unwrap(),
        Some(Incoming::Head(_))
    ));
    let mut out = BytesMut::new();
    let err = codec
        .encode_interim(StatusCode::EARLY_HINTS, &HeaderMap::new(), &mut out)
        .unwrap_err();
    assert_eq!(err.kind(), h1x::ErrorKind::InterimToHttp10);
    assert!(out.is_empty());
    let head = ResponseHead {
        status: StatusCode::OK,
        headers: &HeaderMap::new(),
        content_length: Some(2),
    };
    codec.encode(Outgoing::Response(head), &mut out).unwrap();
    assert!(
        out.starts_with(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n"),
        "{out:?}"
    );
}

#[test]
fn malformed_heads_carry_the_status_to_answer() {
    for (raw, status) in [
        (&b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"[..], 400),
        (b"GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
        (
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunkedchunked\r\n\r\n",
            501,
        ),
    ] {
        let mut buf = BytesMut::from(raw);
        let err = H1Codec::new().decode(&mut buf).unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{err}");
    }
}

#[test]
fn title_case_names() {
    let mut codec = H1Codec::new().title_case_headers(true);
    let mut buf = BytesMut::from(&b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"[..]);
    codec.decode(&mut buf).unwrap();
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", HeaderValue::from_static("7"));
    headers.append("link", HeaderValue::from_static("</a>"));
    headers.append("link", HeaderValue::from_static("</b>"));
    let mut out = BytesMut::new();
    codec
        .encode(
            Outgoing::Interim(StatusCode::EARLY_HINTS, &headers),
            &mut out,
        )
        .unwrap();
    assert_eq!(
        &out[..],
        b"HTTP/1.1 103 Early Hints\r\nX-Request-Id: 7\r\nLink: </a>\r\nLink: </b>\r\n\r\n"
    );
}

/// Three pipelined requests through one `Framed`, never rebuilt: each is decoded after the
/// previous response's end.
#[tokio::test]
async fn pipelined_requests_through_one_framed() {
    let (mut client, server) = tokio::io::duplex(4096);
    client
        .write_all(
            b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi\
              GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .await
        .unwrap();
    let mut framed = Framed::new(server, H1Codec::new());
    let mut targets = Vec::new();
    while let Some(item) = framed.next().await {
        let Incoming::Head(head) = item.unwrap() else {
            panic!("a head first")
        };
        targets.push(head.request.uri().to_string());
        loop {
            match framed.next().await.unwrap().unwrap() {
                Incoming::End(_) => break,
                Incoming::Data(d) => assert_eq!(&d[..], b"hi"),
                Incoming::Head(_) => panic!("head inside a body"),
            }
        }
        let none = HeaderMap::new();
        let head = ResponseHead {
            status: StatusCode::NO_CONTENT,
            headers: &none,
            content_length: None,
        };
        framed.send(Outgoing::Response(head)).await.unwrap();
        framed.send(Outgoing::End(None)).await.unwrap();
        if framed.codec().conn().our_state() != h1x::State::Idle {
            break; // Connection: close
        }
    }
    assert_eq!(targets, ["/a", "/b", "/c"]);
    drop(framed);
    let mut wire = String::new();
    client.read_to_string(&mut wire).await.unwrap();
    assert_eq!(
        wire.matches("HTTP/1.1 204 No Content\r\n").count(),
        3,
        "{wire}"
    );
}
