//! A counting global allocator proves that complete keep-alive cycles, with interim responses,
//! chunked bodies and trailers, allocate nothing on either side.

use h1x::{Connection, Event, Header, Role, State};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    /// Allocations made by this thread while it measures (tests run in parallel threads, so
    /// both the switch and the count are per thread).
    static MEASURING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    if MEASURING.with(Cell::get) {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
    }
}

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// A byte pipe on the stack: what one side writes, the other reads.
struct Pipe {
    buf: [u8; 8192],
    start: usize,
    end: usize,
}

impl Pipe {
    fn new() -> Self {
        Pipe {
            buf: [0; 8192],
            start: 0,
            end: 0,
        }
    }
    fn send(&mut self, conn: &mut Connection, ev: &Event<'_, '_>) {
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        }
        let n = conn.encode(ev, &mut self.buf[self.end..]).expect("encode");
        self.end += n;
    }
}

const BODY: [u8; 1024] = [b'x'; 1024];

/// Receives every event available from `pipe`; returns what it saw as counts.
fn drain(conn: &mut Connection, pipe: &mut Pipe, seen: &mut [usize; 6]) {
    let mut headers = [Header::EMPTY; 16];
    loop {
        let (n, ev) = conn
            .decode(&pipe.buf[pipe.start..pipe.end], &mut headers)
            .expect("decode");
        pipe.start += n;
        match ev {
            Event::Request(_) => seen[0] += 1,
            Event::InformationalResponse(r) => {
                seen[1] += 1;
                if r.status == 103 {
                    assert_eq!(r.headers.iter().filter(|h| h.is("link")).count(), 2);
                }
            }
            Event::Response(_) => seen[2] += 1,
            Event::Data(d) => seen[3] += d.len(),
            Event::EndOfMessage(t) => {
                seen[4] += 1;
                seen[5] += t.len();
            }
            Event::NeedData | Event::Paused => return,
            Event::ConnectionClosed => panic!("closed"),
        }
    }
}

fn cycle(
    client: &mut Connection,
    server: &mut Connection,
    up: &mut Pipe,
    down: &mut Pipe,
) -> ([usize; 6], [usize; 6]) {
    let mut at_server = [0; 6];
    let mut at_client = [0; 6];
    let req_headers = [
        Header::new("Host", "render.example"),
        Header::new("Transfer-Encoding", "chunked"),
    ];
    up.send(
        client,
        &Event::request("POST", "/api/generate-panorama", &req_headers),
    );
    up.send(client, &Event::Data(b"{\"scene\":"));
    up.send(client, &Event::Data(b"\"alps\"}"));
    up.send(
        client,
        &Event::EndOfMessage(&[Header::new("Digest", "sha-256=abc")]),
    );
    drain(server, up, &mut at_server);

    let links = [
        Header::new("Link", "</style.css>; rel=preload; as=style"),
        Header::new("Link", "</app.js>; rel=preload; as=script"),
    ];
    down.send(server, &Event::interim(102, &[]));
    drain(client, down, &mut at_client);
    down.send(
        server,
        &Event::interim(102, &[Header::new("Progress", "5/10")]),
    );
    down.send(server, &Event::interim(103, &links));
    down.send(
        server,
        &Event::response(200, &[Header::new("Content-Type", "application/json")]),
    );
    for piece in BODY.chunks(300) {
        down.send(server, &Event::Data(piece));
    }
    down.send(
        server,
        &Event::EndOfMessage(&[Header::new("Server-Timing", "render;dur=3000")]),
    );
    drain(client, down, &mut at_client);
    client.start_next_cycle().unwrap();
    server.start_next_cycle().unwrap();
    (at_server, at_client)
}

#[test]
fn the_counter_sees_allocations() {
    MEASURING.with(|m| m.set(true));
    let before = allocations();
    let v = std::hint::black_box(vec![1u8; 64]);
    let after = allocations();
    MEASURING.with(|m| m.set(false));
    drop(v);
    assert!(after > before);
}

#[test]
fn keep_alive_cycles_allocate_nothing() {
    let mut client = Connection::new(Role::Client);
    let mut server = Connection::new(Role::Server);
    let mut up = Box::new(Pipe::new());
    let mut down = Box::new(Pipe::new());
    // warm up (the test harness itself may allocate on first use of stdout etc.)
    cycle(&mut client, &mut server, &mut up, &mut down);
    let before = allocations();
    let mut seen = Vec::with_capacity(100);
    MEASURING.with(|m| m.set(true));
    for _ in 0..100 {
        seen.push(cycle(&mut client, &mut server, &mut up, &mut down));
    }
    MEASURING.with(|m| m.set(false));
    let after = allocations();
    for (s, c) in seen {
        assert_eq!(s, [1, 0, 0, 16, 1, 1], "server side");
        assert_eq!(c, [0, 3, 1, 1024, 1, 1], "client side");
    }
    assert_eq!(after - before, 0, "allocations during 100 cycles");
    assert_eq!(
        (client.our_state(), server.our_state()),
        (State::Idle, State::Idle)
    );
}

#[test]
fn connection_state_fits_64_bytes() {
    let size = std::mem::size_of::<Connection>();
    println!("size_of::<Connection>() = {size}");
    assert!(size <= 64, "{size} bytes");
}
