package dev.gatehouse.credits;

import dev.gatehouse.organization.OrgPermission;
import dev.gatehouse.organization.OrganizationDirectory;
import dev.gatehouse.organization.PermissionDenied;
import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.IgnoresIdempotencyKey;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.PlatformRole;
import dev.gatehouse.platform.RequestIds;
import dev.gatehouse.platform.RequiresPermission;
import dev.gatehouse.subscription.SubscriptionDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The credit calls: the unit and estimates for anyone who prices a call, reservations, settlements, releases and
 * debits for the product's backend, and an organization's balance and entries for its members.
 */
@RestController
@Validated
class CreditController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    static final String REMAINING = "Credits-Remaining";
    static final String WARNING = "Credits-Warning";
    static final int MAX_KEY_LENGTH = 255;
    static final long MAX_TOKENS = 1_000_000_000_000L;

    private final CreditUnit unit;
    private final CreditCalls calls;
    private final Holds holds;
    private final CreditStatements statements;
    private final LowBalance warnings;
    private final SubscriptionDirectory subscriptions;
    private final OrganizationDirectory organizations;
    private final CreditSettings settings;
    private final JsonMapper json;

    CreditController(
            CreditUnit unit,
            CreditCalls calls,
            Holds holds,
            CreditStatements statements,
            LowBalance warnings,
            SubscriptionDirectory subscriptions,
            OrganizationDirectory organizations,
            CreditSettings settings,
            JsonMapper json) {
        this.unit = unit;
        this.calls = calls;
        this.holds = holds;
        this.statements = statements;
        this.warnings = warnings;
        this.subscriptions = subscriptions;
        this.organizations = organizations;
        this.settings = settings;
        this.json = json;
    }

    // ---- the unit and estimates

    /** A model's price in reference tokens per token. */
    @Schema(name = "CreditModelRate")
    record ModelView(String model, BigDecimal inputMultiplier, BigDecimal outputMultiplier, String encoding) {}

    /**
     * The credit unit.
     *
     * @param credit the unit's name
     * @param tokensPerCredit how many tokens of the reference model one credit buys
     * @param decimals the most decimal places an amount has (amounts are exact: micro-PT)
     */
    @Schema(name = "CreditUnit")
    record UnitView(String credit, long tokensPerCredit, String referenceModel, int decimals, List<ModelView> models) {}

    @Operation(
            operationId = "getCreditUnit",
            summary = "The credit unit: what one PT buys of the reference model, and every model's multipliers",
            description = "A model's price in PT is (input_tokens × input_multiplier + output_tokens ×"
                    + " output_multiplier) / tokens_per_credit, rounded up to the next micro-PT (six decimals).")
    @RequiresPermission(Permission.PUBLIC)
    @GetMapping(path = "/api/v1/credits/unit", produces = "application/json")
    UnitView unit() {
        List<ModelView> models = unit.models().entrySet().stream()
                .map(e -> new ModelView(
                        e.getKey(),
                        e.getValue().input(),
                        e.getValue().output(),
                        e.getValue().encoding()))
                .toList();
        return new UnitView("PT", settings.tokensPerCredit(), settings.referenceModel(), Micros.SCALE, models);
    }

    /**
     * What to estimate: token counts, or a prompt's text counted with the model's tokenizer.
     *
     * @param text the prompt; its tokens count as input (added to input_tokens when both are sent)
     * @param outputTokens the output expected (e.g. the call's max_tokens)
     */
    @Schema(name = "CreditEstimateRequest")
    record EstimateRequest(
            @NotNull @Size(min = 1, max = 100) String model,
            @Nullable @Min(0) @Max(MAX_TOKENS) Long inputTokens,
            @Nullable @Min(0) @Max(MAX_TOKENS) Long outputTokens,
            @Nullable @Size(max = 1_000_000) String text) {}

    /** An estimate in PT. */
    @Schema(name = "CreditEstimate")
    record EstimateView(String model, long inputTokens, long outputTokens, BigDecimal credits) {}

    @Operation(
            operationId = "estimateCredits",
            summary = "Estimate a model call's price in PT before sending it (members; the product's backend)",
            description = "From token counts, or from the prompt's text counted with the model's tokenizer (jtokkit,"
                    + " OpenAI's tiktoken encodings). Changes nothing, so Idempotency-Key is ignored. 422"
                    + " unknown_model for a model the unit does not price.")
    @RequiresPermission(Permission.CREDITS_READ)
    @IgnoresIdempotencyKey(IgnoresIdempotencyKey.Reason.READ_ONLY)
    @PostMapping(path = "/api/v1/credits/estimate", consumes = "application/json", produces = "application/json")
    EstimateView estimate(@Valid @RequestBody EstimateRequest body) {
        long input = body.inputTokens() == null ? 0 : body.inputTokens();
        if (body.text() != null) input += unit.countTokens(body.model(), body.text());
        long output = body.outputTokens() == null ? 0 : body.outputTokens();
        return new EstimateView(body.model(), input, output, Micros.pt(unit.price(body.model(), input, output)));
    }

    // ---- reservations, settlements, releases, debits

    /**
     * Usage to price: a PT amount, or a model with its token counts.
     *
     * @param amount PT, up to six decimal places
     * @param user who the usage is for (the product's user id), kept with the entries
     */
    @Schema(name = "CreditUsage")
    record Usage(
            @Nullable @Schema(minimum = "0") BigDecimal amount,
            @Nullable @Size(min = 1, max = 100) String model,
            @Nullable @Min(0) @Max(MAX_TOKENS) Long inputTokens,
            @Nullable @Min(0) @Max(MAX_TOKENS) Long outputTokens,
            @Nullable @Size(max = 200) String user) {}

    /**
     * A reservation to make.
     *
     * @param ttlSeconds how long the hold lasts; 3,600 by default, at most 86,400
     */
    @Schema(name = "CreditReservationRequest")
    record ReserveRequest(
            @NotNull UUID org,
            @Nullable @Schema(minimum = "0") BigDecimal amount,
            @Nullable @Size(min = 1, max = 100) String model,
            @Nullable @Min(0) @Max(MAX_TOKENS) Long inputTokens,
            @Nullable @Min(0) @Max(MAX_TOKENS) Long outputTokens,
            @Nullable @Size(max = 200) String user,
            @Nullable @Min(1) Long ttlSeconds) {}

    /**
     * A reservation.
     *
     * @param state held, settled, released or expired
     * @param settledAmount what the settle debited (settled only)
     * @param available the organization's available PT right after this call (at the first call, on a replay)
     */
    @Schema(name = "CreditReservation")
    record ReservationView(
            UUID id,
            UUID org,
            BigDecimal amount,
            String state,
            Instant expiresAt,
            Instant createdAt,
            @Nullable Instant closedAt,
            @Nullable BigDecimal settledAmount,
            BigDecimal available) {

        static ReservationView of(Holds.Outcome o) {
            Holds.Reservation r = java.util.Objects.requireNonNull(o.reservation());
            return new ReservationView(
                    r.id(),
                    r.org(),
                    Micros.pt(r.amount()),
                    r.state(),
                    r.expiresAt(),
                    r.createdAt(),
                    r.closedAt(),
                    r.settledAmount() == null ? null : Micros.pt(r.settledAmount()),
                    Micros.pt(o.available()));
        }
    }

    @Operation(
            operationId = "reserveCredits",
            summary = "Hold an organization's credits before a call (service key)",
            description = "Holds the amount (or the price of the model and token counts) until settled, released, or"
                    + " its TTL runs out (then the hold-expiry job releases it). 402 insufficient_credits with the"
                    + " available balance and top_up_url when the balance (and the plan's overdraft) does not cover"
                    + " it; nothing is held then. Idempotency-Key: the reservation and its answer commit together;"
                    + " a retry replays the answer (Idempotent-Replayed: true) for 24 hours; another request under the"
                    + " key gets 422 idempotency_key_reused. Answers carry Credits-Remaining and, below a plan's"
                    + " low-balance threshold, Credits-Warning.",
            parameters =
                    @Parameter(
                            name = IDEMPOTENCY_KEY,
                            in = ParameterIn.HEADER,
                            description = "Makes a retry safe: the first answer is replayed, never held twice",
                            schema = @Schema(type = "string", minLength = 1, maxLength = MAX_KEY_LENGTH)))
    @RequiresPermission(Permission.CREDITS_SPEND)
    @IgnoresIdempotencyKey(IgnoresIdempotencyKey.Reason.KEPT_WITH_THE_EFFECT)
    @PostMapping(path = "/api/v1/credits/reservations", consumes = "application/json", produces = "application/json")
    @ResponseStatus(HttpStatus.CREATED) // the answer is a ResponseEntity (for its headers); the document reads this
    ResponseEntity<ReservationView> reserve(@Valid @RequestBody ReserveRequest body, HttpServletRequest http) {
        CreditRequests.Key key = key(http, "reserve", body);
        requireOrg(body.org());
        long amount =
                price(new Usage(body.amount(), body.model(), body.inputTokens(), body.outputTokens(), body.user()));
        if (amount <= 0) throw CreditFailures.invalidField("amount", "must be more than zero");
        Duration ttl = body.ttlSeconds() == null ? settings.defaultHold() : Duration.ofSeconds(body.ttlSeconds());
        if (ttl.compareTo(settings.maxHold()) > 0) {
            throw CreditFailures.invalidField(
                    "ttl_seconds", "must be at most " + settings.maxHold().toSeconds() + " seconds");
        }
        long overdraft = overdraftLimit(body.org());
        Holds.Context ctx = context(body.user(), body.model(), body.inputTokens(), body.outputTokens());
        var answer = calls.run(
                body.org(),
                key,
                201,
                ReservationView.class,
                now -> ReservationView.of(holds.reserve(body.org(), amount, overdraft, now.plus(ttl), ctx, now)));
        return respond(answer, body.org(), answer.body().available());
    }

    @Operation(
            operationId = "settleCreditReservation",
            summary = "Settle a held reservation with the actual usage (service key)",
            description = "Debits the actual amount (a PT amount, or the model and token counts priced by the unit)"
                    + " from the hold and returns the rest to the blocks it came from. An actual amount above the hold"
                    + " is taken from the available balance, and refused with 402 insufficient_credits (the hold"
                    + " stays) when that would overdraw more than the plan allows. 409 reservation_not_held when it"
                    + " was settled, released or expired. Idempotency-Key as for reservations.",
            parameters =
                    @Parameter(
                            name = IDEMPOTENCY_KEY,
                            in = ParameterIn.HEADER,
                            schema = @Schema(type = "string", minLength = 1, maxLength = MAX_KEY_LENGTH)))
    @RequiresPermission(Permission.CREDITS_SPEND)
    @IgnoresIdempotencyKey(IgnoresIdempotencyKey.Reason.KEPT_WITH_THE_EFFECT)
    @PostMapping(
            path = "/api/v1/credits/reservations/{id}/settle",
            consumes = "application/json",
            produces = "application/json")
    ResponseEntity<ReservationView> settle(
            @PathVariable UUID id, @Valid @RequestBody Usage body, HttpServletRequest http) {
        CreditRequests.Key key = key(http, "settle:" + id, body);
        long actual = price(body);
        Holds.Reservation found = holds.find(id);
        if (found == null) throw CreditFailures.reservationNotFound();
        long overdraft = overdraftLimit(found.org());
        Holds.Context ctx = context(body.user(), body.model(), body.inputTokens(), body.outputTokens());
        var answer = calls.run(found.org(), key, id, 200, ReservationView.class, now -> {
            Holds.Reservation r = java.util.Objects.requireNonNull(holds.find(id));
            return ReservationView.of(holds.settle(r, actual, overdraft, ctx, now));
        });
        return respond(answer, found.org(), answer.body().available());
    }

    @Operation(
            operationId = "releaseCreditReservation",
            summary = "Release a held reservation: its whole amount returns to the available balance (service key)",
            description = "409 reservation_not_held when it was settled, released or expired. Idempotency-Key as for"
                    + " reservations.",
            parameters =
                    @Parameter(
                            name = IDEMPOTENCY_KEY,
                            in = ParameterIn.HEADER,
                            schema = @Schema(type = "string", minLength = 1, maxLength = MAX_KEY_LENGTH)))
    @RequiresPermission(Permission.CREDITS_SPEND)
    @IgnoresIdempotencyKey(IgnoresIdempotencyKey.Reason.KEPT_WITH_THE_EFFECT)
    @PostMapping(path = "/api/v1/credits/reservations/{id}/release", produces = "application/json")
    ResponseEntity<ReservationView> release(@PathVariable UUID id, HttpServletRequest http) {
        CreditRequests.Key key = key(http, "release:" + id, Map.of());
        Holds.Reservation found = holds.find(id);
        if (found == null) throw CreditFailures.reservationNotFound();
        Holds.Context ctx = context(null, null, null, null);
        var answer = calls.run(found.org(), key, id, 200, ReservationView.class, now -> {
            Holds.Reservation r = java.util.Objects.requireNonNull(holds.find(id));
            return ReservationView.of(holds.release(r, /* expired= */ false, ctx, now));
        });
        return respond(answer, found.org(), answer.body().available());
    }

    /** A direct debit. */
    @Schema(name = "CreditDebitRequest")
    record DebitRequest(
            @NotNull UUID org,
            @Nullable @Schema(minimum = "0") BigDecimal amount,
            @Nullable @Size(min = 1, max = 100) String model,
            @Nullable @Min(0) @Max(MAX_TOKENS) Long inputTokens,
            @Nullable @Min(0) @Max(MAX_TOKENS) Long outputTokens,
            @Nullable @Size(max = 200) String user) {}

    /** A debit made. */
    @Schema(name = "CreditDebit")
    record DebitView(UUID transactionId, UUID org, BigDecimal amount, BigDecimal available) {}

    @Operation(
            operationId = "debitCredits",
            summary = "Debit an organization's credits at once, without a hold (service key)",
            description = "402 insufficient_credits when the balance (and the plan's overdraft) does not cover it."
                    + " Idempotency-Key as for reservations.",
            parameters =
                    @Parameter(
                            name = IDEMPOTENCY_KEY,
                            in = ParameterIn.HEADER,
                            schema = @Schema(type = "string", minLength = 1, maxLength = MAX_KEY_LENGTH)))
    @RequiresPermission(Permission.CREDITS_SPEND)
    @IgnoresIdempotencyKey(IgnoresIdempotencyKey.Reason.KEPT_WITH_THE_EFFECT)
    @PostMapping(path = "/api/v1/credits/debits", consumes = "application/json", produces = "application/json")
    @ResponseStatus(HttpStatus.CREATED)
    ResponseEntity<DebitView> debit(@Valid @RequestBody DebitRequest body, HttpServletRequest http) {
        CreditRequests.Key key = key(http, "debit", body);
        requireOrg(body.org());
        long amount =
                price(new Usage(body.amount(), body.model(), body.inputTokens(), body.outputTokens(), body.user()));
        if (amount <= 0) throw CreditFailures.invalidField("amount", "must be more than zero");
        long overdraft = overdraftLimit(body.org());
        Holds.Context ctx = context(body.user(), body.model(), body.inputTokens(), body.outputTokens());
        var answer = calls.run(body.org(), key, 201, DebitView.class, now -> {
            Holds.Outcome o = holds.debit(body.org(), amount, overdraft, ctx, now);
            return new DebitView(
                    java.util.Objects.requireNonNull(o.transaction()),
                    body.org(),
                    Micros.pt(amount),
                    Micros.pt(o.available()));
        });
        return respond(answer, body.org(), answer.body().available());
    }

    // ---- an organization's credits

    /** A block of credits. */
    @Schema(name = "CreditBlock")
    record BlockView(
            UUID id,
            String source,
            @Nullable String plan,
            int priority,
            BigDecimal granted,
            BigDecimal remaining,
            BigDecimal held,
            @Nullable Instant expiresAt,
            Instant createdAt) {

        static BlockView of(Ledger.Block b) {
            return new BlockView(
                    b.id(),
                    b.source().wire(),
                    b.plan(),
                    b.priority(),
                    Micros.pt(b.granted()),
                    Micros.pt(b.remaining()),
                    Micros.pt(b.held()),
                    b.expiresAt(),
                    b.createdAt());
        }
    }

    /**
     * An organization's credits.
     *
     * @param available what it may spend (negative only when its plan allows overdraft)
     * @param held what reservations hold
     * @param overdraftLimit how far below zero its plan lets available go
     * @param warningThresholds its plan's low-balance thresholds
     * @param blocks the blocks with something left, held or owed, in spending order
     */
    @Schema(name = "OrgCredits")
    record BalanceView(
            UUID org,
            String plan,
            BigDecimal available,
            BigDecimal held,
            BigDecimal overdraftLimit,
            List<BigDecimal> warningThresholds,
            List<BlockView> blocks) {}

    @Operation(
            operationId = "getOrgCredits",
            summary = "The organization's credits: available and held balances and its blocks (members; the product's"
                    + " backend)")
    @RequiresPermission(Permission.CREDITS_READ)
    @GetMapping(path = "/api/v1/orgs/{org}/credits", produces = "application/json")
    BalanceView balance(
            @PathVariable UUID org,
            @Parameter(description = "Also list spent and expired blocks") @RequestParam(defaultValue = "false")
                    boolean all) {
        requireReader(org, CallerAuthentication.current());
        return balanceOf(org, all, statements, subscriptions, settings, warnings);
    }

    static BalanceView balanceOf(
            UUID org,
            boolean all,
            CreditStatements statements,
            SubscriptionDirectory subscriptions,
            CreditSettings settings,
            LowBalance warnings) {
        Map<Account, Long> balances = statements.balances(org);
        String plan = subscriptions.planOf(org).key();
        return new BalanceView(
                org,
                plan,
                Micros.pt(balances.get(Account.AVAILABLE)),
                Micros.pt(balances.get(Account.HELD)),
                BigDecimal.valueOf(settings.rules(plan).overdraft()),
                warnings.thresholds(org).stream().map(Micros::pt).toList(),
                statements.blocks(org, all).stream().map(BlockView::of).toList());
    }

    /**
     * An entry on the organization's available or held account.
     *
     * @param kind the transaction's kind (grant, reserve, settle, release, hold_expiry, debit, expiry, ...)
     * @param reference the reservation (or transaction) it belongs to
     * @param details the usage behind it (user, model, tokens)
     */
    @Schema(name = "CreditEntry")
    record EntryView(
            UUID id,
            UUID transactionId,
            String kind,
            String account,
            @Nullable UUID blockId,
            BigDecimal amount,
            @Nullable UUID reference,
            @Nullable String reason,
            @Nullable Map<String, Object> details,
            Instant createdAt) {}

    record EntryPage(List<EntryView> data, @Nullable String nextCursor) {}

    @Operation(
            operationId = "listOrgCreditEntries",
            summary = "The entries on the organization's available and held accounts, newest first (members; the"
                    + " product's backend)")
    @RequiresPermission(Permission.CREDITS_READ)
    @GetMapping(path = "/api/v1/orgs/{org}/credits/entries", produces = "application/json")
    EntryPage entries(
            @PathVariable UUID org,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
            @RequestParam(required = false) @Size(max = 200) @Nullable String cursor) {
        requireReader(org, CallerAuthentication.current());
        return entriesOf(org, limit, cursor, statements, json);
    }

    @SuppressWarnings("unchecked")
    static EntryPage entriesOf(
            UUID org, int limit, @Nullable String cursor, CreditStatements statements, JsonMapper json) {
        Page<CreditStatements.Entry> page =
                statements.entries(org, cursor == null ? null : PageCursor.decode(cursor), limit);
        return new EntryPage(
                page.items().stream()
                        .map(e -> new EntryView(
                                e.id(),
                                e.transaction(),
                                e.kind().wire(),
                                e.account().wire(),
                                e.block(),
                                Micros.pt(e.amount()),
                                e.reference(),
                                e.reason(),
                                e.details() == null
                                        ? null
                                        : (Map<String, Object>) json.readValue(e.details(), Map.class),
                                e.createdAt()))
                        .toList(),
                page.nextCursor());
    }

    // ---- helpers

    private void requireOrg(UUID org) {
        if (subscriptions.currentPlan(org).isEmpty()) throw CreditFailures.orgNotFound();
    }

    private void requireReader(UUID org, Caller caller) {
        if (caller.hasRole(PlatformRole.SERVICE)) {
            if (!organizations.exists(org)) throw CreditFailures.orgNotFound();
            return;
        }
        var role = organizations.roleOf(org, caller.userId()).orElseThrow(CreditFailures::orgNotFound);
        if (!OrgPermission.ORG_READ.permits(role)) throw new PermissionDenied(OrgPermission.ORG_READ);
    }

    private long overdraftLimit(UUID org) {
        return Micros.ofWhole(settings.rules(subscriptions.planOf(org).key()).overdraft());
    }

    /** The usage's price in micro-PT: its amount, or the model's price of its tokens. */
    private long price(Usage usage) {
        if (usage.amount() != null) {
            if (usage.model() != null || usage.inputTokens() != null || usage.outputTokens() != null) {
                throw CreditFailures.invalidField("amount", "send an amount or a model with token counts, not both");
            }
            long micros;
            try {
                micros = Micros.of(usage.amount());
            } catch (ArithmeticException e) {
                throw CreditFailures.invalidField("amount", "at most six decimal places and 10^12 PT");
            }
            if (micros < 0 || micros > Micros.MAX) {
                throw CreditFailures.invalidField("amount", "must be between 0 and 10^12 PT");
            }
            return micros;
        }
        if (usage.model() == null) {
            throw CreditFailures.invalidField("amount", "send an amount or a model with token counts");
        }
        long input = usage.inputTokens() == null ? 0 : usage.inputTokens();
        long output = usage.outputTokens() == null ? 0 : usage.outputTokens();
        return unit.price(usage.model(), input, output);
    }

    private Holds.Context context(
            @Nullable String user, @Nullable String model, @Nullable Long input, @Nullable Long output) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (user != null) details.put("user", user);
        if (model != null) details.put("model", model);
        if (input != null) details.put("input_tokens", input);
        if (output != null) details.put("output_tokens", output);
        return new Holds.Context(
                CallerAuthentication.current().userId(),
                RequestIds.current(),
                details.isEmpty() ? null : details,
                settings.topUpUrl() == null ? null : settings.topUpUrl().toString());
    }

    /** The answer with its status and the balance headers. */
    private <T> ResponseEntity<T> respond(CreditCalls.Answer<T> answer, UUID org, BigDecimal available) {
        var response = ResponseEntity.status(HttpStatus.valueOf(answer.status()));
        if (answer.replayed()) response.header(REPLAYED, "true");
        response.header(REMAINING, available.toPlainString());
        Long below = warnings.below(org, Micros.of(available));
        if (below != null) {
            response.header(
                    WARNING, "low_balance; threshold=" + Micros.pt(below).toPlainString());
        }
        return response.body(answer.body());
    }

    /** The Idempotency-Key with the request's fingerprint; null when none was sent. */
    private CreditRequests.@Nullable Key key(HttpServletRequest http, String route, Object body) {
        List<String> values = Collections.list(http.getHeaders(IDEMPOTENCY_KEY));
        if (values.isEmpty()) return null;
        String key = values.getFirst();
        if (values.size() > 1 || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw CreditFailures.invalidIdempotencyKey();
        }
        byte[] fingerprint;
        try {
            fingerprint = MessageDigest.getInstance("SHA-256")
                    .digest((route + "\n" + json.writeValueAsString(body)).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new CreditRequests.Key(CallerAuthentication.current().userId(), key, fingerprint);
    }
}
