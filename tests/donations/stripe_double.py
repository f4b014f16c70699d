"""A small local stand-in for Stripe's API, so that the real stripe-python
code path runs in the tests: a threaded HTTP server on 127.0.0.1 answering
in the shapes of Stripe's own sample objects (stripe_samples.json), and
recording every request so tests can check what Stripe would receive."""

import copy
import hashlib
import hmac
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

SAMPLES = json.loads((Path(__file__).parent / "stripe_samples.json").read_text())
_ids = itertools.count(1)


def sample(kind, **fields):
    obj = copy.deepcopy(SAMPLES[kind])
    obj.update(fields)
    return obj


def new_id(prefix):
    return f"{prefix}_test{next(_ids):06d}{int(time.time() * 1000) % 100000:05d}"


class Recorded:
    def __init__(self, method, path, query, headers, form):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.form = form

    def __repr__(self):
        return f"<{self.method} {self.path}>"


class StripeDouble:
    def __init__(self):
        self.requests = []
        self.fail_with = None  # (status, error type) to answer the next requests
        self.invoice_payment_intents = {}  # invoice id -> PaymentIntent id
        self.sessions_by_key = {}  # idempotency key -> session (as Stripe does)
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", new_id("req"))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self):
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                record = Recorded(
                    self.command,
                    url.path,
                    dict(parse_qsl(url.query)),
                    dict(self.headers),
                    dict(parse_qsl(body, keep_blank_values=True)),
                )
                double.requests.append(record)
                status, answer = double.route(record)
                self._answer(status, answer)

            do_GET = do_POST = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        host, port = self.server.server_address
        return f"http://{host}:{port}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def last(self, path):
        matching = [r for r in self.requests if r.path == path]
        return matching[-1] if matching else None

    def route(self, request):
        if self.fail_with:
            status, error_type = self.fail_with
            return status, {"error": {"type": error_type, "message": "Simulated failure"}}
        if request.method == "POST" and request.path == "/v1/checkout/sessions":
            return 200, self.checkout_session(request)
        if request.method == "POST" and request.path == "/v1/billing_portal/sessions":
            portal = sample(
                "billing_portal.session",
                id=new_id("bps"),
                customer=request.form["customer"],
                return_url=request.form.get("return_url"),
                url="https://billing.stripe.com/p/session/test_portal",
            )
            return 200, portal
        if request.method == "GET" and request.path == "/v1/invoice_payments":
            invoice = request.query.get("invoice")
            paid_by = request.query.get("payment[payment_intent]")
            if paid_by:  # the invoice a PaymentIntent paid
                invoice = next(
                    (i for i, pi in self.invoice_payment_intents.items() if pi == paid_by), None
                )
            data = []
            if invoice in self.invoice_payment_intents:
                data.append(
                    sample(
                        "invoice_payment",
                        id=new_id("inpay"),
                        invoice=invoice,
                        status="paid",
                        currency="eur",
                        payment={
                            "type": "payment_intent",
                            "payment_intent": self.invoice_payment_intents[invoice],
                        },
                    )
                )
            return 200, {
                "object": "list",
                "data": data,
                "has_more": False,
                "url": "/v1/invoice_payments",
            }
        return 404, {"error": {"type": "invalid_request_error", "message": "Unknown path"}}

    def checkout_session(self, request):
        key = request.headers.get("Idempotency-Key")
        if key in self.sessions_by_key:
            return self.sessions_by_key[key]
        form = request.form
        session_id = new_id("cs")
        metadata = {
            k[len("metadata[") : -1]: v for k, v in form.items() if k.startswith("metadata[")
        }
        session = sample(
            "checkout.session",
            id=session_id,
            mode=form["mode"],
            currency=form["line_items[0][price_data][currency]"],
            amount_total=int(form["line_items[0][price_data][unit_amount]"]),
            amount_subtotal=int(form["line_items[0][price_data][unit_amount]"]),
            customer_email=form.get("customer_email"),
            client_reference_id=form.get("client_reference_id"),
            metadata=metadata,
            success_url=form["success_url"],
            cancel_url=form["cancel_url"],
            payment_intent=None,
            status="open",
            payment_status="unpaid",
            url=f"https://checkout.stripe.com/c/pay/{session_id}",
        )
        if key:
            self.sessions_by_key[key] = session
        return session


# --- Webhook payloads, signed as Stripe signs them -----------------------------


def event(event_type, obj, *, event_id=None, created=None):
    return sample(
        "event",
        id=event_id or new_id("evt"),
        type=event_type,
        created=created or int(time.time()),
        api_version=None,
        data={"object": obj},
        livemode=False,
    )


def sign(payload, secret, timestamp=None):
    """`Stripe-Signature: t=<ts>,v1=<HMAC-SHA256 of "<ts>.<payload>">`."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(
        secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={signature}"


def completed_session(session, *, paid=True, customer="cus_test_donor", **fields):
    """The session as `checkout.session.completed` carries it."""
    obj = copy.deepcopy(session)
    obj.update(status="complete", customer=customer, customer_email=None)
    if obj["mode"] == "payment":
        obj.update(payment_intent=new_id("pi"), payment_status="paid" if paid else "unpaid")
    else:
        obj.update(subscription=new_id("sub"), invoice=new_id("in"), payment_status="paid")
    obj.update(fields)
    return obj


def paid_invoice(subscription_id, amount_cents, metadata, *, customer="cus_test_donor"):
    invoice = sample(
        "invoice",
        id=new_id("in"),
        customer=customer,
        currency="eur",
        amount_due=amount_cents,
        amount_paid=amount_cents,
        amount_remaining=0,
        total=amount_cents,
        subtotal=amount_cents,
        status="paid",
        billing_reason="subscription_cycle",
        status_transitions={
            "finalized_at": int(time.time()),
            "marked_uncollectible_at": None,
            "paid_at": int(time.time()),
            "voided_at": None,
        },
        subscription=None,
        parent={
            "quote_details": None,
            "subscription_details": {"metadata": metadata, "subscription": subscription_id},
            "type": "subscription_details",
        },
    )
    for line in invoice["lines"]["data"]:
        line.update(amount=amount_cents, currency="eur")
    return invoice


def failed_invoice(
    subscription_id, amount_cents, metadata, *, next_attempt=None, attempt_count=1, **fields
):
    """An instalment Stripe could not collect, as `invoice.payment_failed`
    carries it: open, nothing paid, the next retry (or None: no more)."""
    invoice = paid_invoice(subscription_id, amount_cents, metadata)
    invoice.update(
        amount_paid=0,
        amount_remaining=amount_cents,
        status="open",
        attempted=True,
        attempt_count=attempt_count,
        next_payment_attempt=next_attempt,
        hosted_invoice_url=f"https://invoice.stripe.com/i/acct_test/{invoice['id']}",
        status_transitions=dict(invoice["status_transitions"], paid_at=None),
    )
    invoice.update(fields)
    return invoice


def refunded_charge(payment_intent, amount_cents, amount_refunded, **fields):
    """A charge made now (unless `created` says otherwise), refunded."""
    values = {
        "id": new_id("ch"),
        "created": int(time.time()),
        "amount": amount_cents,
        "amount_captured": amount_cents,
        "amount_refunded": amount_refunded,
        "currency": "eur",
        "payment_intent": payment_intent,
        "refunded": amount_refunded >= amount_cents,
        "captured": True,
        "source": None,
    }
    values.update(fields)
    return sample("charge", **values)


def dispute(payment_intent, amount_cents, status="needs_response", **fields):
    """A dispute (chargeback) of the charge a PaymentIntent made."""
    values = {
        "id": new_id("dp"),
        "charge": new_id("ch"),
        "payment_intent": payment_intent,
        "amount": amount_cents,
        "currency": "eur",
        "created": int(time.time()),
        "reason": "fraudulent",
        "status": status,
        "is_charge_refundable": False,
    }
    values.update(fields)
    return sample("dispute", **values)


def deleted_subscription(subscription_id, metadata):
    return sample(
        "subscription",
        id=subscription_id,
        status="canceled",
        metadata=metadata,
        currency="eur",
        ended_at=int(time.time()),
        canceled_at=int(time.time()),
    )
