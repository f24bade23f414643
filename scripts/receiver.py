#!/usr/bin/python3
"""A stand-in for the MPS or CAC endpoint, for development and tests.

It checks each notification's enveloped signature against the portal's
certificate and validates it against schema/notification.xsd, records the
events (a JSON line each), and drops duplicates by event id.  It can be
told to fail: POST /_control {"mode": "ok" | "fail" | "hang" | "close"}, or
{"mode": "answer", "status": N} to answer every notification with status N
and an awkward body (see REFUSAL; 429 and 503 carry "Retry-After: 1").
GET /_events returns what it recorded, GET /_payload/<event id> the body of
an event's first delivery, byte for byte.

    receiver.py --port 18901 --recipient mps --cert var/keys/sign.crt \
                --schema schema/notification.xsd --log var/log/mps.jsonl

With --tls-cert/--tls-key it serves HTTPS, and with --client-ca it
demands a client certificate signed by that CA (as the ministries will).
"""
import argparse
import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import xmlsec
from lxml import etree

NS = {"n": "urn:vcp:notification:1"}
MAX_BODY = 16 * 1024 * 1024
# What a refusing ministry might say: Chinese, a NUL, a terminal escape,
# bytes that are not UTF-8, a tab, and more than the 1 KiB the portal keeps.
REFUSAL = ('{"error":"签名无效 signature invalid","detail":"'.encode() +
           b"\x00\x1b[31m\xff\xfe\t" + "😀".encode() * 300 + b'"}')


class State:
    def __init__(self, args):
        self.recipient = args.recipient
        with open(args.cert, "rb") as f:
            self.cert = f.read()
        with open(args.schema, "rb") as f:
            # From memory: python-xmlsec replaces libxml2's file readers.
            self.schema = etree.XMLSchema(etree.fromstring(f.read()))
        self.log = args.log
        self.lock = threading.Lock()
        self.mode = "ok"
        self.status = 500
        self.seen = set()
        self.events = []        # first deliveries, in arrival order
        self.bodies = {}        # event id -> body of its first delivery
        self.duplicates = []
        self.rejected = 0
        self.answered = 0       # notifications answered in "answer" mode


def verify(state, body):
    doc = etree.fromstring(body)
    node = xmlsec.tree.find_node(doc, xmlsec.constants.NodeSignature)
    if node is None:
        raise ValueError("no signature")
    ctx = xmlsec.SignatureContext()
    ctx.key = xmlsec.Key.from_memory(state.cert,
                                     xmlsec.constants.KeyDataFormatCertPem)
    ctx.verify(node)
    state.schema.assertValid(doc)
    return doc


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, obj=None):
        body = json.dumps(obj if obj is not None else {}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        n = int(self.headers.get("Content-Length", "0"))
        if n < 0 or n > MAX_BODY:
            raise ValueError("body size")
        return self.rfile.read(n)

    def do_GET(self):
        st = self.server.state
        if self.path == "/_events":
            with st.lock:
                self.reply(200, {"events": st.events,
                                 "duplicates": st.duplicates,
                                 "rejected": st.rejected, "mode": st.mode,
                                 "answered": st.answered})
        elif self.path.startswith("/_payload/"):
            with st.lock:
                body = st.bodies.get(self.path[len("/_payload/"):])
            if body is None:
                self.reply(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.reply(404)

    def do_POST(self):
        st = self.server.state
        try:
            body = self.read_body()
        except ValueError:
            self.reply(413)
            return
        if self.path == "/_control":
            ctl = json.loads(body)
            st.mode = ctl["mode"]
            st.status = int(ctl.get("status", 500))
            self.reply(200, {"mode": st.mode, "status": st.status})
            return
        mode = st.mode
        if mode == "fail":
            self.reply(500, {"error": "told to fail"})
            return
        if mode == "answer":
            with st.lock:
                st.answered += 1
            self.send_response(st.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(REFUSAL)))
            if st.status in (429, 503):
                self.send_header("Retry-After", "1")
            self.end_headers()
            self.wfile.write(REFUSAL)
            return
        if mode == "hang":
            time.sleep(3600)
            return
        if mode == "close":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        try:
            doc = verify(st, body)
        except Exception as e:          # a bad signature or schema
            with st.lock:
                st.rejected += 1
            self.reply(400, {"error": str(e)[:200]})
            return
        if doc.get("recipient") != st.recipient:
            self.reply(400, {"error": "not for this recipient"})
            return
        filing = doc.find("n:filing", NS)
        referral = doc.find("n:tipoffReferral", NS)
        ev = {"event_id": doc.get("eventId"),
              "subject": "filing" if filing is not None else
              "tipoff" if referral is not None else "audit",
              "filing_id": int(filing.get("id")) if filing is not None
              else None,
              "sequence": int(doc.get("sequence")),
              "event": doc.get("event"),
              "received_at": time.time(),
              # What the ministry keeps: the verified document itself.
              "payload": body.decode("utf-8")}
        with st.lock:
            if ev["event_id"] in st.seen:
                st.duplicates.append(ev)
            else:
                st.seen.add(ev["event_id"])
                st.events.append(ev)
                st.bodies[ev["event_id"]] = body
                if st.log:
                    with open(st.log, "a") as f:
                        f.write(json.dumps(ev) + "\n")
        self.reply(200, {"accepted": ev["event_id"]})


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bind", default="127.0.0.1",
                   help="address to listen on (a cluster's namespaces"
                   " reach it on their veth link)")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--recipient", choices=("mps", "cac"), required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--schema", required=True)
    p.add_argument("--log")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--client-ca")
    args = p.parse_args()
    server = ThreadingHTTPServer((args.bind, args.port), Handler)
    server.daemon_threads = True
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        if args.client_ca:
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(args.client_ca)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    server.state = State(args)
    server.serve_forever()


if __name__ == "__main__":
    main()
