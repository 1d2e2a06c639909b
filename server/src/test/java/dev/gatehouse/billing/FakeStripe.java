package dev.gatehouse.billing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local fake of the Stripe API, for tests: the network boundary, the one fake the project allows. It serves the
 * endpoints Gatehouse calls (customers, Checkout and portal sessions, subscriptions, invoices, charges, refunds)
 * with Stripe's JSON shapes and form-encoded requests, honours {@code Idempotency-Key} as Stripe does (the same
 * key answers the first response again), and plays the customer's side: completing a checkout, failing and paying
 * invoices, refunding and disputing charges, each returning the event Stripe would send, signed as Stripe signs
 * ({@code t=<unix>,v1=<hex HMAC-SHA256 of "t.payload">}).
 *
 * <p>It also runs on its own, for the README's tour, with nothing but a JDK (the source launcher compiles this one
 * file): {@code java server/src/test/java/dev/gatehouse/billing/FakeStripe.java --port 12111 --webhook
 * http://localhost:8080/api/v1/billing/stripe/webhook --webhook-secret whsec_tour}. That is why it imports only
 * the JDK and carries its own small JSON writer and reader ({@link Json}). A Checkout session's URL is this
 * server's own page: {@code POST} to it pays, completing the checkout as {@link #completeCheckout} does, and the
 * events Stripe would send are signed and delivered to the webhook URL ({@link #deliverTo}).
 */
final class FakeStripe implements AutoCloseable {

    /**
     * The Stripe API version the events carry: the pinned stripe-java's ({@code com.stripe.Stripe.API_VERSION},
     * which {@code FakeStripeTest} compares it with), written out so that this file needs only the JDK.
     */
    static final String API_VERSION = "2026-07-29.dahlia";

    static final Map<String, Long> PRICES =
            Map.of("price_pro_monthly", 1999L, "price_enterprise_monthly", 9999L, "price_credits_pack", 500L);

    /** Where a Checkout session's page is, on this server (no API key needed: the customer opens it). */
    private static final String CHECKOUT_PAGE = "/c/pay/";

    private final HttpServer server;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Map<String, Object>> objects = new ConcurrentHashMap<>();
    private final Map<String, String> idempotent = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> creates = new ConcurrentHashMap<>();
    private final List<String> idempotencyKeys = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile Supplier<Instant> clock = Instant::now;
    private volatile boolean failReads;
    private volatile boolean verbose;
    private volatile Webhook webhook; // null: paying at a Checkout page delivers nothing

    /** Where paying at a Checkout page sends the events, and the secrets that sign them. */
    private record Webhook(URI url, String... secrets) {}

    FakeStripe() throws IOException {
        this(0);
    }

    /** On the loopback address at the port (0: any free one). */
    FakeStripe(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Runs the fake on its own: {@code --port} (default 12111), and {@code --webhook URL --webhook-secret whsec_...}
     * for where paying at a Checkout page delivers the events. It runs until stopped (Ctrl-C).
     */
    public static void main(String[] args) throws Exception {
        int port = 12111;
        String webhookUrl = null;
        String secret = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(required(args[i], value));
                case "--webhook" -> webhookUrl = required(args[i], value);
                case "--webhook-secret" -> secret = required(args[i], value);
                default -> usage("unknown option " + args[i]);
            }
            i++;
        }
        if ((webhookUrl == null) != (secret == null)) usage("--webhook and --webhook-secret go together");
        FakeStripe stripe = new FakeStripe(port);
        stripe.verbose = true;
        if (webhookUrl != null) stripe.deliverTo(webhookUrl, secret);
        String base = "http://localhost:" + stripe.server.getAddress().getPort();
        System.out.println("Fake Stripe listening on " + base + " (Ctrl-C stops it). Start Gatehouse with");
        System.out.println("  GATEHOUSE_STRIPE_API_BASE=" + base + " GATEHOUSE_STRIPE_SECRET_KEY=sk_test_<anything>"
                + (secret == null ? "" : " GATEHOUSE_STRIPE_WEBHOOK_SECRET=" + secret));
        System.out.println(
                webhookUrl == null
                        ? "Paying at a checkout URL sends no events (no --webhook)."
                        : "Paying at a checkout URL (curl -X POST <checkout_url>) sends the signed events to "
                                + webhookUrl);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stripe.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    private static String required(String option, String value) {
        if (value == null || value.startsWith("--")) usage(option + " needs a value");
        return value;
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: java FakeStripe.java [--port 12111] [--webhook URL --webhook-secret whsec_...]");
        System.exit(2);
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The app's clock (the tests move it), for objects' timestamps and signatures. */
    void clock(Supplier<Instant> clock) {
        this.clock = clock;
    }

    /**
     * Where paying at a Checkout page ({@link #payAtCheckout}) delivers the events, signed with the secrets; null
     * delivers nothing (the page still pays and answers the events).
     */
    void deliverTo(String webhookUrl, String... secrets) {
        this.webhook = webhookUrl == null ? null : new Webhook(URI.create(webhookUrl), secrets.clone());
    }

    /** While on, every GET answers 500 (Stripe is down for reads): processing fails and retries. */
    void failReads(boolean on) {
        this.failReads = on;
    }

    int created(String kind) {
        return creates.getOrDefault(kind, new AtomicInteger()).get();
    }

    List<String> idempotencyKeys() {
        return List.copyOf(idempotencyKeys);
    }

    Map<String, Object> object(String id) {
        Map<String, Object> o = objects.get(id);
        if (o == null) throw new IllegalArgumentException("no object " + id);
        return o;
    }

    @Override
    public void close() {
        server.stop(0);
        client.close();
    }

    // ---- HTTP -------------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            answer(ex);
        }
    }

    private void answer(HttpExchange ex) throws IOException {
        try {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            if (verbose) System.out.println(method + " " + path);
            if (path.startsWith(CHECKOUT_PAGE)) {
                checkoutPage(ex, method, path.substring(CHECKOUT_PAGE.length()));
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer sk_test_")) {
                send(ex, 401, error("invalid_request_error", "Invalid API Key provided"));
                return;
            }
            Map<String, String> form = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (ex.getRequestURI().getRawQuery() != null)
                form.putAll(form(ex.getRequestURI().getRawQuery()));
            if (method.equals("GET")) {
                if (failReads) {
                    send(ex, 500, error("api_error", "Something went wrong on Stripe's end."));
                    return;
                }
                send(ex, 200, get(path, form));
                return;
            }
            String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
            if (key != null) {
                idempotencyKeys.add(key);
                String earlier = idempotent.get(key);
                if (earlier != null) {
                    send(ex, 200, earlier);
                    return;
                }
            }
            String answer;
            synchronized (this) {
                if (key != null && idempotent.containsKey(key)) {
                    answer = idempotent.get(key);
                } else {
                    answer = Json.write(post(path, form));
                    if (key != null) idempotent.put(key, answer);
                }
            }
            send(ex, 200, answer);
        } catch (NotFound e) {
            send(ex, 404, error("invalid_request_error", "No such object: '" + e.getMessage() + "'"));
        } catch (RuntimeException e) {
            send(ex, 400, error("invalid_request_error", String.valueOf(e.getMessage())));
        }
    }

    private static final class NotFound extends RuntimeException {
        NotFound(String id) {
            super(id);
        }
    }

    private String get(String path, Map<String, String> query) {
        if (path.equals("/v1/refunds")) {
            String charge = query.get("charge");
            List<Object> data = objects.values().stream()
                    .filter(o -> "refund".equals(o.get("object")) && charge.equals(o.get("charge")))
                    .map(o -> (Object) o)
                    .toList();
            return Json.write(list("/v1/refunds", data));
        }
        String id = path.substring(path.lastIndexOf('/') + 1);
        Map<String, Object> o = objects.get(id);
        if (o == null) throw new NotFound(id);
        return Json.write(o);
    }

    private Map<String, Object> post(String path, Map<String, String> form) {
        switch (path) {
            case "/v1/customers" -> {
                count("customer");
                Map<String, Object> c = obj("cus", "customer");
                c.put("name", form.get("name"));
                c.put("metadata", metadata(form, "metadata"));
                return store(c);
            }
            case "/v1/checkout/sessions" -> {
                count("checkout_session");
                Map<String, Object> s = obj("cs", "checkout.session");
                s.put("mode", form.get("mode"));
                s.put("customer", form.get("customer"));
                s.put("client_reference_id", form.get("client_reference_id"));
                s.put("metadata", metadata(form, "metadata"));
                s.put("status", "open");
                s.put("payment_status", "unpaid");
                String price = form.get("line_items[0][price]");
                long quantity = Long.parseLong(form.getOrDefault("line_items[0][quantity]", "1"));
                s.put("line_price", price);
                s.put("amount_total", PRICES.getOrDefault(price, 0L) * quantity);
                s.put("currency", "usd");
                s.put("success_url", form.get("success_url"));
                s.put("subscription", null);
                s.put("payment_intent", null);
                s.put("subscription_metadata", metadata(form, "subscription_data[metadata]"));
                s.put("url", base() + CHECKOUT_PAGE + s.get("id"));
                return store(s);
            }
            case "/v1/billing_portal/sessions" -> {
                count("portal_session");
                Map<String, Object> s = obj("bps", "billing_portal.session");
                s.put("customer", form.get("customer"));
                s.put("return_url", form.get("return_url"));
                s.put("url", "https://billing.stripe.test/p/session/" + s.get("id"));
                return store(s);
            }
            case "/v1/refunds" -> {
                count("refund");
                Map<String, Object> charge = objects.get(form.get("charge"));
                if (charge == null) throw new NotFound(form.get("charge"));
                long amount = form.containsKey("amount")
                        ? Long.parseLong(form.get("amount"))
                        : (long) charge.get("amount") - (long) charge.get("amount_refunded");
                Map<String, Object> r = obj("re", "refund");
                r.put("charge", charge.get("id"));
                r.put("payment_intent", charge.get("payment_intent"));
                r.put("amount", amount);
                r.put("currency", charge.get("currency"));
                r.put("status", "succeeded");
                r.put("metadata", metadata(form, "metadata"));
                charge.put("amount_refunded", (long) charge.get("amount_refunded") + amount);
                charge.put("refunded", charge.get("amount_refunded").equals(charge.get("amount")));
                return store(r);
            }
            default -> {
                if (path.startsWith("/v1/subscriptions/")) {
                    Map<String, Object> sub = objects.get(path.substring("/v1/subscriptions/".length()));
                    if (sub == null) throw new NotFound(path);
                    String price = form.get("items[0][price]");
                    if (price != null) item(sub).put("price", price(price));
                    return sub;
                }
                throw new IllegalArgumentException("Unrecognized request URL (POST: " + path + ")");
            }
        }
    }

    /**
     * A Checkout session's page: {@code GET} shows what is being bought and a button that pays, {@code POST} pays
     * ({@link #payAtCheckout}) and answers the events sent and how the webhook answered each.
     */
    private void checkoutPage(HttpExchange ex, String method, String sessionId) throws IOException {
        Map<String, Object> s = objects.get(sessionId);
        if (s == null || !"checkout.session".equals(s.get("object"))) {
            send(ex, 404, error("invalid_request_error", "No such checkout session: '" + sessionId + "'"));
            return;
        }
        if (method.equals("GET")) {
            String html = "<!doctype html><title>Fake Stripe Checkout</title><h1>Fake Stripe Checkout</h1><p>"
                    + s.get("line_price") + ": " + s.get("amount_total") + " " + s.get("currency")
                    + " (minor units), session " + sessionId + ", " + s.get("status") + "</p>"
                    + "<form method=post><button>Pay</button></form>";
            byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
            return;
        }
        if (!method.equals("POST")) {
            send(ex, 405, error("invalid_request_error", "GET shows the page, POST pays"));
            return;
        }
        List<String> events;
        synchronized (this) {
            if (!"open".equals(s.get("status"))) {
                send(ex, 409, error("invalid_request_error", "Checkout session " + sessionId + " is not open"));
                return;
            }
            events = payAtCheckout(sessionId);
        }
        Webhook to = webhook;
        List<Object> sent = new ArrayList<>();
        for (String event : events) {
            Map<String, Object> outcome = new LinkedHashMap<>();
            outcome.put("id", idOf(event));
            outcome.put("type", ((Map<?, ?>) Json.parse(event)).get("type"));
            outcome.put("webhook_status", to == null ? null : deliver(to, event));
            if (verbose)
                System.out.println("  sent " + outcome.get("type") + " " + outcome.get("id") + " → "
                        + (to == null ? "nowhere (no --webhook)" : to.url() + " " + outcome.get("webhook_status")));
            sent.add(outcome);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("checkout_session", sessionId);
        answer.put("status", "complete");
        answer.put("webhook", to == null ? null : to.url().toString());
        answer.put("events", sent);
        send(ex, 200, Json.write(answer));
    }

    /** Posts the signed event to the webhook; its HTTP status, or -1 when it could not be reached. */
    private int deliver(Webhook to, String event) {
        try {
            HttpRequest request = HttpRequest.newBuilder(to.url())
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("Stripe-Signature", sign(event, to.secrets()))
                    .POST(HttpRequest.BodyPublishers.ofString(event, StandardCharsets.UTF_8))
                    .build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            if (verbose) System.out.println("  could not reach " + to.url() + ": " + e);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    // ---- the customer's side: what happens at Stripe, and the event it sends ------------------------------------

    /**
     * The customer paid on the Checkout page: {@link #completeCheckout}, and the events Stripe sends about it, in
     * the order it sends them: {@code checkout.session.completed}, then for a subscription
     * {@code customer.subscription.created} and its first invoice's {@code invoice.paid}.
     */
    List<String> payAtCheckout(String sessionId) {
        List<String> events = new ArrayList<>();
        events.add(completeCheckout(sessionId));
        Map<String, Object> s = object(sessionId);
        if ("subscription".equals(s.get("mode"))) {
            String subscriptionId = (String) s.get("subscription");
            events.add(subscriptionEvent("customer.subscription.created", subscriptionId));
            events.add(event("invoice.paid", object(latest("in", (String) s.get("customer")))));
        }
        return events;
    }

    /** The customer paid at Checkout: for a subscription, it starts (with its first invoice paid). */
    String completeCheckout(String sessionId) {
        Map<String, Object> s = object(sessionId);
        s.put("status", "complete");
        s.put("payment_status", "paid");
        String customer = (String) s.get("customer");
        if ("subscription".equals(s.get("mode"))) {
            Instant now = clock.get();
            Map<String, Object> sub = obj("sub", "subscription");
            sub.put("customer", customer);
            sub.put("status", "active");
            @SuppressWarnings("unchecked")
            Map<String, Object> subMeta = (Map<String, Object>) s.get("subscription_metadata");
            sub.put("metadata", subMeta);
            Map<String, Object> item = obj("si", "subscription_item");
            item.put("price", price((String) s.get("line_price")));
            item.put("quantity", 1);
            item.put("current_period_start", now.getEpochSecond());
            item.put("current_period_end", now.plus(Duration.ofDays(30)).getEpochSecond());
            item.put("subscription", sub.get("id"));
            sub.put("items", list("/v1/subscription_items", List.of(item)));
            store(sub);
            s.put("subscription", sub.get("id"));
            Map<String, Object> invoice = invoice(sub, "paid", 1);
            charge(customer, (long) invoice.get("amount_paid"), null);
        } else {
            Map<String, Object> charge = charge(customer, (long) s.get("amount_total"), null);
            s.put("payment_intent", charge.get("payment_intent"));
        }
        return event("checkout.session.completed", s);
    }

    /** The subscription's renewal payment failed: a new open invoice, the subscription past due. */
    String failRenewal(String subscriptionId) {
        Map<String, Object> sub = object(subscriptionId);
        sub.put("status", "past_due");
        Map<String, Object> invoice = invoice(sub, "open", 1);
        return event("invoice.payment_failed", invoice);
    }

    /** A retry (or the customer in the portal) paid the invoice: the subscription is active, on a new period. */
    String payInvoice(String invoiceId) {
        Map<String, Object> invoice = object(invoiceId);
        invoice.put("status", "paid");
        invoice.put("amount_paid", invoice.get("amount_due"));
        Map<String, Object> sub = object(subscriptionOf(invoice));
        sub.put("status", "active");
        Instant now = clock.get();
        item(sub).put("current_period_start", now.getEpochSecond());
        item(sub).put("current_period_end", now.plus(Duration.ofDays(30)).getEpochSecond());
        charge((String) invoice.get("customer"), (long) invoice.get("amount_paid"), null);
        return event("invoice.paid", invoice);
    }

    String subscriptionEvent(String type, String subscriptionId) {
        return event(type, object(subscriptionId));
    }

    /** The subscription was canceled at once (in the portal). */
    String cancel(String subscriptionId) {
        Map<String, Object> sub = object(subscriptionId);
        sub.put("status", "canceled");
        sub.put("canceled_at", clock.get().getEpochSecond());
        return event("customer.subscription.deleted", sub);
    }

    /** A refund made in Stripe's dashboard; its charge.refunded event. */
    String refundInDashboard(String chargeId, long amount) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("charge", chargeId);
        form.put("amount", Long.toString(amount));
        synchronized (this) {
            post("/v1/refunds", form);
        }
        return chargeRefunded(chargeId);
    }

    String chargeRefunded(String chargeId) {
        return event("charge.refunded", object(chargeId));
    }

    /** The bank opened a dispute on the charge. */
    String dispute(String chargeId, String reason) {
        Map<String, Object> charge = object(chargeId);
        Map<String, Object> d = obj("dp", "dispute");
        d.put("charge", chargeId);
        d.put("payment_intent", charge.get("payment_intent"));
        d.put("amount", charge.get("amount"));
        d.put("currency", charge.get("currency"));
        d.put("reason", reason);
        d.put("status", "needs_response");
        store(d);
        return event("charge.dispute.created", d);
    }

    String closeDispute(String disputeId, String status) {
        Map<String, Object> d = object(disputeId);
        d.put("status", status);
        return event("charge.dispute.closed", d);
    }

    /** The newest object of a kind ({@code ch}, {@code in}, {@code sub}, ...) for a customer. */
    String latest(String prefix, String customer) {
        return objects.values().stream()
                .filter(o -> ((String) o.get("id")).startsWith(prefix + "_") && customer.equals(o.get("customer")))
                .max(java.util.Comparator.comparingLong(
                        o -> Long.parseLong(((String) o.get("id")).replaceAll("\\D", ""))))
                .map(o -> (String) o.get("id"))
                .orElseThrow(() -> new IllegalStateException("no " + prefix + " of " + customer));
    }

    // ---- events and signatures ------------------------------------------------------------------------------------

    /** An event of the type about a snapshot of the object, as Stripe's JSON. */
    String event(String type, Map<String, Object> object) {
        Map<String, Object> e = obj("evt", "event");
        e.put("api_version", API_VERSION);
        e.put("type", type);
        e.put("livemode", false);
        e.put("pending_webhooks", 1);
        e.put("request", new LinkedHashMap<>(Map.of()));
        e.put("data", Map.of("object", new LinkedHashMap<>(object)));
        return Json.write(e);
    }

    /** The Stripe-Signature header for the payload, signed now with each secret (several v1 signatures). */
    String sign(String payload, String... secrets) {
        return signAt(clock.get().getEpochSecond(), payload, secrets);
    }

    static String signAt(long timestamp, String payload, String... secrets) {
        StringBuilder header = new StringBuilder("t=").append(timestamp);
        for (String secret : secrets) {
            header.append(",v1=").append(hmac(secret, timestamp + "." + payload));
        }
        return header.toString();
    }

    static String hmac(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String idOf(String eventJson) {
        return (String) ((Map<?, ?>) Json.parse(eventJson)).get("id");
    }

    static String objectIdOf(String eventJson) {
        Map<?, ?> data = (Map<?, ?>) ((Map<?, ?>) Json.parse(eventJson)).get("data");
        return (String) ((Map<?, ?>) data.get("object")).get("id");
    }

    // ---- objects --------------------------------------------------------------------------------------------------

    private Map<String, Object> invoice(Map<String, Object> sub, String status, long attempts) {
        Map<String, Object> item = item(sub);
        @SuppressWarnings("unchecked")
        Map<String, Object> price = (Map<String, Object>) item.get("price");
        long amount = (long) price.get("unit_amount");
        Map<String, Object> i = obj("in", "invoice");
        i.put("customer", sub.get("customer"));
        i.put("status", status);
        i.put("number", "GH-" + i.get("id").toString().substring(3));
        i.put("currency", "usd");
        i.put("amount_due", amount);
        i.put("amount_paid", status.equals("paid") ? amount : 0L);
        i.put("total", amount);
        i.put("attempt_count", attempts);
        i.put("hosted_invoice_url", "https://invoice.stripe.test/i/" + i.get("id"));
        i.put("invoice_pdf", "https://pay.stripe.test/invoice/" + i.get("id") + "/pdf");
        i.put("period_start", item.get("current_period_start"));
        i.put("period_end", item.get("current_period_end"));
        i.put("billing_reason", "subscription_cycle");
        i.put(
                "parent",
                Map.of(
                        "type",
                        "subscription_details",
                        "subscription_details",
                        Map.of("subscription", sub.get("id"), "metadata", Map.of())));
        return store(i);
    }

    private Map<String, Object> charge(String customer, long amount, String paymentIntent) {
        Map<String, Object> c = obj("ch", "charge");
        c.put("customer", customer);
        c.put("amount", amount);
        c.put("amount_refunded", 0L);
        c.put("currency", "usd");
        c.put("paid", true);
        c.put("refunded", false);
        c.put("status", "succeeded");
        c.put("payment_intent", paymentIntent != null ? paymentIntent : "pi_" + ids.incrementAndGet());
        return store(c);
    }

    private static Map<String, Object> price(String id) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", id);
        p.put("object", "price");
        p.put("unit_amount", PRICES.getOrDefault(id, 0L));
        p.put("currency", "usd");
        p.put("type", id.equals("price_credits_pack") ? "one_time" : "recurring");
        return p;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> item(Map<String, Object> sub) {
        Map<String, Object> items = (Map<String, Object>) sub.get("items");
        return (Map<String, Object>) ((List<Object>) items.get("data")).getFirst();
    }

    @SuppressWarnings("unchecked")
    private static String subscriptionOf(Map<String, Object> invoice) {
        Map<String, Object> parent = (Map<String, Object>) invoice.get("parent");
        return (String) ((Map<String, Object>) parent.get("subscription_details")).get("subscription");
    }

    private Map<String, Object> obj(String prefix, String object) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", prefix + "_" + String.format("%014d", ids.incrementAndGet()));
        o.put("object", object);
        o.put("created", clock.get().getEpochSecond());
        o.put("livemode", false);
        return o;
    }

    private Map<String, Object> store(Map<String, Object> o) {
        objects.put((String) o.get("id"), o);
        return o;
    }

    private void count(String kind) {
        creates.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    private static Map<String, Object> list(String url, List<Object> data) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("object", "list");
        l.put("data", data);
        l.put("has_more", false);
        l.put("url", url);
        return l;
    }

    private static Map<String, Object> metadata(Map<String, String> form, String prefix) {
        Map<String, Object> m = new LinkedHashMap<>();
        form.forEach((k, v) -> {
            if (k.startsWith(prefix + "[") && k.endsWith("]") && k.indexOf('[', prefix.length() + 1) < 0) {
                m.put(k.substring(prefix.length() + 1, k.length() - 1), v);
            }
        });
        return m;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        if (body.isEmpty()) return form;
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(k, v);
        }
        return form;
    }

    private static String error(String type, String message) {
        return Json.write(Map.of("error", Map.of("type", type, "message", message)));
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Request-Id", "req_fake");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Just enough JSON for Stripe's shapes, so that the fake needs only the JDK: writes maps, lists, strings,
     * numbers, booleans and null compactly (as Jackson does: no spaces), and reads a document back into the same
     * (objects as {@link LinkedHashMap}, integers as {@link Long}, other numbers as {@link Double}).
     */
    static final class Json {

        private Json() {}

        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out);
            return out.toString();
        }

        private static void write(Object value, StringBuilder out) {
            switch (value) {
                case null -> out.append("null");
                case String s -> string(s, out);
                case Number n -> out.append(n);
                case Boolean b -> out.append(b);
                case Map<?, ?> m -> {
                    out.append('{');
                    boolean first = true;
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        if (!first) out.append(',');
                        first = false;
                        string(String.valueOf(e.getKey()), out);
                        out.append(':');
                        write(e.getValue(), out);
                    }
                    out.append('}');
                }
                case Iterable<?> items -> {
                    out.append('[');
                    boolean first = true;
                    for (Object item : items) {
                        if (!first) out.append(',');
                        first = false;
                        write(item, out);
                    }
                    out.append(']');
                }
                default -> throw new IllegalArgumentException("no JSON for " + value.getClass());
            }
        }

        private static void string(String s, StringBuilder out) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                        else out.append(c);
                    }
                }
            }
            out.append('"');
        }

        /** The document's value; a malformed document throws {@link IllegalArgumentException}. */
        static Object parse(String json) {
            Reader r = new Reader(json);
            Object value = r.value();
            r.space();
            if (r.at < json.length()) throw r.error("trailing characters");
            return value;
        }

        private static final class Reader {
            private final String s;
            private int at;

            Reader(String s) {
                this.s = s;
            }

            Object value() {
                space();
                if (at >= s.length()) throw error("unexpected end");
                char c = s.charAt(at);
                return switch (c) {
                    case '{' -> object();
                    case '[' -> array();
                    case '"' -> string();
                    case 't' -> literal("true", Boolean.TRUE);
                    case 'f' -> literal("false", Boolean.FALSE);
                    case 'n' -> literal("null", null);
                    default -> number();
                };
            }

            private Map<String, Object> object() {
                Map<String, Object> m = new LinkedHashMap<>();
                at++;
                space();
                if (peek() == '}') {
                    at++;
                    return m;
                }
                while (true) {
                    space();
                    if (peek() != '"') throw error("expected a member name");
                    String key = string();
                    space();
                    expect(':');
                    m.put(key, value());
                    space();
                    if (peek() == ',') {
                        at++;
                    } else {
                        expect('}');
                        return m;
                    }
                }
            }

            private List<Object> array() {
                List<Object> l = new ArrayList<>();
                at++;
                space();
                if (peek() == ']') {
                    at++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    space();
                    if (peek() == ',') {
                        at++;
                    } else {
                        expect(']');
                        return l;
                    }
                }
            }

            private String string() {
                at++;
                StringBuilder out = new StringBuilder();
                while (true) {
                    if (at >= s.length()) throw error("unterminated string");
                    char c = s.charAt(at++);
                    if (c == '"') return out.toString();
                    if (c != '\\') {
                        out.append(c);
                        continue;
                    }
                    if (at >= s.length()) throw error("unterminated escape");
                    char e = s.charAt(at++);
                    switch (e) {
                        case '"', '\\', '/' -> out.append(e);
                        case 'n' -> out.append('\n');
                        case 'r' -> out.append('\r');
                        case 't' -> out.append('\t');
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'u' -> {
                            if (at + 4 > s.length()) throw error("short \\u escape");
                            out.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                            at += 4;
                        }
                        default -> throw error("bad escape \\" + e);
                    }
                }
            }

            private Object number() {
                int start = at;
                while (at < s.length() && "+-0123456789.eE".indexOf(s.charAt(at)) >= 0) at++;
                String n = s.substring(start, at);
                if (n.isEmpty()) throw error("unexpected character");
                try {
                    return n.matches("-?\\d+") ? (Object) Long.parseLong(n) : (Object) Double.parseDouble(n);
                } catch (NumberFormatException e) {
                    throw error("bad number " + n);
                }
            }

            private Object literal(String word, Object value) {
                if (!s.startsWith(word, at)) throw error("unexpected character");
                at += word.length();
                return value;
            }

            private void expect(char c) {
                if (peek() != c) throw error("expected '" + c + "'");
                at++;
            }

            private char peek() {
                return at < s.length() ? s.charAt(at) : '\0';
            }

            void space() {
                while (at < s.length() && Character.isWhitespace(s.charAt(at))) at++;
            }

            IllegalArgumentException error(String what) {
                return new IllegalArgumentException("JSON: " + what + " at " + at);
            }
        }
    }
}
