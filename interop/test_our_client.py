"""Our client (`demo --connect URL`) against real servers no one here wrote: Node's http server
(writeContinue, writeEarlyHints, writeProcessing) and a Python h11 server; and the demo itself
(in one process, and with --stall)."""

import json
import subprocess

from conftest import JOB, parse_timeline

# Node's writeEarlyHints() joins a list of links into one Link field; h11 sends what it is given
NODE_LINKS = [("Link", "</static/viewer.js>; rel=preload; as=script, "
                       "</static/app.css>; rel=preload; as=style")]
H11_LINKS = [("Link", "</static/viewer.js>; rel=preload; as=script"),
             ("Link", "</static/app.css>; rel=preload; as=style")]


def connect(demo_bin, url, *extra):
    r = subprocess.run([demo_bin, "--connect", url, "--upload-mib", "2", "--timeout-ms", "3000",
                        *extra], capture_output=True, text=True, timeout=60)
    return r.returncode, r.stdout, r.stderr


def test_node_server_panorama(demo_bin, node_server):
    rc, out, err = connect(demo_bin, node_server.url + "/api/generate-panorama")
    assert rc == 0, out + err
    heads, body = parse_timeline(out)
    assert [s for s, _, _ in heads] == [103, 102, 102, 102, 200], out
    assert heads[0][:2] == (103, "Early Hints") and heads[0][2] == NODE_LINKS
    assert heads[1][:2] == (102, "Processing") and heads[1][2] == []
    assert json.loads(body)["server"] == "node"


def test_node_server_upload_with_write_continue(demo_bin, node_server):
    rc, out, err = connect(demo_bin, node_server.url + "/files/large-video.mp4")
    assert rc == 0, out + err
    heads, body = parse_timeline(out)
    assert [s for s, _, _ in heads] == [100, 103, 102, 102, 102, 201], out
    assert heads[0][:2] == (100, "Continue")
    assert heads[1][2] == NODE_LINKS
    assert ("Location", "/files/large-video.mp4") in heads[-1][2]
    assert json.loads(body) == {"status": "created", "bytes": 2 * 1024 * 1024, "server": "node"}


def test_h11_server_both_scenarios(demo_bin, h11_server):
    # path "/": both scenarios, one after the other
    rc, out, err = connect(demo_bin, h11_server.url + "/")
    assert rc == 0, out + err
    panorama, upload = out.split("\n== ")[1:]
    heads, body = parse_timeline(panorama)
    # 104 is a code no one knows: still an interim response, with its header
    assert [s for s, _, _ in heads] == [103, 104, 102, 102, 102, 200], panorama
    assert heads[0][2] == H11_LINKS
    assert heads[1] == (104, "Upload Resumption Supported",
                        [("Upload-Draft-Interop-Version", "6")])
    assert [h[2] for h in heads[2:5]] == [[("Progress", f"{i}/3")] for i in (1, 2, 3)]
    assert json.loads(body) == {"status": "success", "bytes": 95, "server": "h11"}
    heads, body = parse_timeline(upload)
    assert [s for s, _, _ in heads] == [100, 103, 104, 102, 102, 102, 201], upload
    assert json.loads(body)["bytes"] == 2 * 1024 * 1024


def test_our_client_against_our_servers(demo_bin, server):
    rc, out, err = connect(demo_bin, server.url + "/")
    assert rc == 0, out + err
    panorama, upload = out.split("\n== ")[1:]
    heads, body = parse_timeline(panorama)
    statuses = [s for s, _, _ in heads]
    assert statuses[0] == 103 and statuses[-1] == 200 and set(statuses[1:-1]) == {102}, out
    assert json.loads(body) == {"status": "success", "url": "/images/panorama-123.jpg"}
    heads, body = parse_timeline(upload)
    statuses = [s for s, _, _ in heads]
    assert statuses[0] == 100 and statuses[-1] == 201 and set(statuses[1:-1]) == {102}, out
    assert json.loads(body)["bytes"] == 2 * 1024 * 1024


def test_demo_in_one_process(demo_bin):
    r = subprocess.run([demo_bin, *JOB, "--upload-mib", "4"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith("h1x demo: server on http://127.0.0.1:")
    panorama, upload = r.stdout.split("\n== ")[1:]
    heads, body = parse_timeline(panorama)
    assert heads[0][0] == 103 and heads[-1][:2] == (200, "OK")
    progress = [v for s, _, h in heads if s == 102 for n, v in h if n == "Progress"]
    assert len(progress) >= 2 and all(p.endswith("/10") for p in progress), panorama
    assert body == '{"status": "success", "url": "/images/panorama-123.jpg"}'
    heads, body = parse_timeline(upload)
    assert heads[0][:2] == (100, "Continue") and heads[-1][:2] == (201, "Created")
    assert "4194304 bytes streamed" in upload
    assert json.loads(body)["bytes"] == 4 * 1024 * 1024


def test_progress_bar_on_a_terminal(demo_bin):
    """Under a pseudo-terminal (util-linux `script`) each 102 line gets a bar drawn from
    Progress; piped output (every other test) has none."""
    cmd = f"{demo_bin} --job-secs 1 --heartbeat-ms 200 --upload-mib 2"
    r = subprocess.run(["script", "-qec", cmd, "/dev/null"], capture_output=True, text=True,
                       timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stdout + r.stderr
    bars = [line for line in r.stdout.splitlines() if "<- 102 Processing  [" in line]
    assert len(bars) >= 4, r.stdout
    assert all("█" in b or "░" in b for b in bars)
    assert "uploading [" in r.stdout  # the upload's progress, redrawn in place


def test_stall_makes_the_client_time_out(demo_bin):
    r = subprocess.run([demo_bin, "--stall", "--job-secs", "1", "--heartbeat-ms", "200",
                        "--upload-mib", "1"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    for part in r.stdout.split("\n== ")[1:]:
        heads, body = parse_timeline(part)
        assert body is None, part
        # one heartbeat, then silence: the InterimDeadline (2.5 heartbeats) expires
        assert [s for s, _, _ in heads].count(102) == 1, part
        assert "giving up (h1x::InterimDeadline expired)" in part


def test_stalled_server_keeps_serving(demo_bin):
    """Our client against --serve --stall (a separate server): the stall shows, the server
    notices the client leaving and keeps serving."""
    import conftest
    stalled = conftest.Server([demo_bin, "--serve", "127.0.0.1:0", "--stall",
                               "--heartbeat-ms", "100"], "stalled")
    try:
        rc, out, _ = connect(demo_bin, stalled.url + "/api/generate-panorama",
                             "--timeout-ms", "400")
        assert rc == 1 and "InterimDeadline expired" in out
        rc, out, _ = connect(demo_bin, stalled.url + "/api/generate-panorama",
                             "--timeout-ms", "400")
        assert rc == 1 and "InterimDeadline expired" in out
        assert stalled.alive()
    finally:
        stalled.stop()


def test_final_response_instead_of_100_continue(demo_bin, server):
    """A 2 GiB upload is over the servers' 1 GiB limit: they answer 413 instead of 100 Continue,
    and our client, still waiting for the 100, sends no body."""
    rc, out, err = connect(demo_bin, server.url + "/files/huge.mp4", "--upload-mib", "2048")
    assert rc == 0, out + err
    heads, body = parse_timeline(out)
    assert [s for s, _, _ in heads] == [413], out
    assert ("Connection", "close") in heads[0][2]
    assert "streamed" not in out
    assert json.loads(body)["message"] == "upload too large"
