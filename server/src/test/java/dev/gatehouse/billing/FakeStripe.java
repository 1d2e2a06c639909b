package dev.gatehouse.billing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local fake of the Stripe API, for tests: the network boundary, the one fake the project allows. It serves the
 * endpoints Gatehouse calls (customers, Checkout and portal sessions, subscriptions, invoices, charges, refunds)
 * with Stripe's JSON shapes and form-encoded requests, honours {@code Idempotency-Key} as Stripe does (the same
 * key answers the first response again), and plays the customer's side: completing a checkout, failing and paying
 * invoices, refunding and disputing charges, each returning the event Stripe would send, signed as Stripe signs
 * ({@code t=<unix>,v1=<hex HMAC-SHA256 of "t.payload">}).
 */
final class FakeStripe implements AutoCloseable {

    static final String API_VERSION = com.stripe.Stripe.API_VERSION;
    static final Map<String, Long> PRICES =
            Map.of("price_pro_monthly", 1999L, "price_enterprise_monthly", 9999L, "price_credits_pack", 500L);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Map<String, Object>> objects = new ConcurrentHashMap<>();
    private final Map<String, String> idempotent = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> creates = new ConcurrentHashMap<>();
    private final List<String> idempotencyKeys = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile Supplier<Instant> clock = Instant::now;
    private volatile boolean failReads;

    FakeStripe() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The app's clock (the tests move it), for objects' timestamps and signatures. */
    void clock(Supplier<Instant> clock) {
        this.clock = clock;
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
                    answer = JSON.writeValueAsString(post(path, form));
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
            return JSON.writeValueAsString(list("/v1/refunds", data));
        }
        String id = path.substring(path.lastIndexOf('/') + 1);
        Map<String, Object> o = objects.get(id);
        if (o == null) throw new NotFound(id);
        return JSON.writeValueAsString(o);
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
                s.put("url", "https://checkout.stripe.test/c/pay/" + s.get("id"));
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

    // ---- the customer's side: what happens at Stripe, and the event it sends ------------------------------------

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
        return JSON.writeValueAsString(e);
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
        return JSON.readTree(eventJson).get("id").asString();
    }

    static String objectIdOf(String eventJson) {
        return JSON.readTree(eventJson).get("data").get("object").get("id").asString();
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
        return JSON.writeValueAsString(Map.of("error", Map.of("type", type, "message", message)));
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
}
