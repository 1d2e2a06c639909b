package dev.gatehouse.credits;

import dev.gatehouse.organization.OrganizationDirectory;
import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequestIds;
import dev.gatehouse.platform.RequiresPermission;
import dev.gatehouse.subscription.SubscriptionDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** Admins' credit routes: grants and adjustments with a reason, any organization's credits, the drift check. */
@RestController
@Validated
@RequiresPermission(Permission.CREDITS_MANAGE)
class CreditAdminController {

    /** The sources an admin may grant from. */
    private static final Set<BlockSource> GRANTABLE =
            Set.of(BlockSource.PROMO, BlockSource.PURCHASE, BlockSource.REFUND, BlockSource.ADJUSTMENT);

    private final Grants grants;
    private final Ledger ledger;
    private final CreditStatements statements;
    private final LowBalance warnings;
    private final Drift drift;
    private final SubscriptionDirectory subscriptions;
    private final OrganizationDirectory organizations;
    private final CreditSettings settings;
    private final JsonMapper json;
    private final Clock clock;

    CreditAdminController(
            Grants grants,
            Ledger ledger,
            CreditStatements statements,
            LowBalance warnings,
            Drift drift,
            SubscriptionDirectory subscriptions,
            OrganizationDirectory organizations,
            CreditSettings settings,
            JsonMapper json,
            Clock clock) {
        this.grants = grants;
        this.ledger = ledger;
        this.statements = statements;
        this.warnings = warnings;
        this.drift = drift;
        this.subscriptions = subscriptions;
        this.organizations = organizations;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
    }

    /**
     * A grant.
     *
     * @param amount PT, up to six decimal places
     * @param source promo (default), purchase, refund or adjustment
     * @param priority lower is spent first; 200 by default
     * @param expiresAt when what is left expires; never when absent
     * @param reference the grant's own reference (a ticket): a second grant with it is the first one
     */
    @Schema(name = "CreditGrantRequest")
    record GrantRequest(
            @NotNull @Schema(minimum = "0", exclusiveMinimum = true)
            BigDecimal amount,

            @Nullable String source,
            @Nullable @Min(0) @Max(999) Integer priority,
            @Nullable Instant expiresAt,
            @NotBlank @Size(max = 1000) String reason,
            @Nullable @Size(min = 1, max = 200) String reference) {}

    /** A grant made (or found, for a repeated reference). */
    @Schema(name = "CreditGrant")
    record GrantView(
            UUID transactionId, UUID blockId, UUID org, BigDecimal amount, boolean existed, BigDecimal available) {}

    @Operation(
            operationId = "grantCredits",
            summary = "Grant credits to an organization as a block, with a reason (admins)",
            description = "The block's priority and expiry decide when it is spent: lower priority first, then sooner"
                    + " expiry, then older grant. What the organization overdrew is repaid from it first. With a"
                    + " reference, a repeated grant answers the first (existed: true) and grants nothing more.")
    @PostMapping(
            path = "/api/v1/admin/orgs/{org}/credits/grants",
            consumes = "application/json",
            produces = "application/json")
    @ResponseStatus(HttpStatus.CREATED)
    GrantView grant(@PathVariable UUID org, @Valid @RequestBody GrantRequest body) {
        if (!organizations.exists(org)) throw CreditFailures.orgNotFound();
        long amount = amount(body.amount());
        if (amount <= 0) throw CreditFailures.invalidField("amount", "must be more than zero");
        BlockSource source;
        try {
            source = body.source() == null ? BlockSource.PROMO : BlockSource.of(body.source());
        } catch (IllegalArgumentException e) {
            source = null;
        }
        if (source == null || !GRANTABLE.contains(source)) {
            throw CreditFailures.invalidField("source", "must be promo, purchase, refund or adjustment");
        }
        Instant now = clock.instant();
        if (body.expiresAt() != null && !body.expiresAt().isAfter(now)) {
            throw CreditFailures.invalidField("expires_at", "must be in the future");
        }
        Grants.Granted g = grants.grant(
                new Grants.Grant(
                        org,
                        source,
                        amount,
                        body.priority() == null ? 200 : body.priority(),
                        body.expiresAt(),
                        body.reference() == null ? null : "admin:" + body.reference(),
                        null,
                        CallerAuthentication.current().userId(),
                        body.reason(),
                        RequestIds.current()),
                now);
        return new GrantView(
                g.transaction(),
                g.block(),
                org,
                Micros.pt(amount),
                g.existed(),
                Micros.pt(ledger.balance(org, Account.AVAILABLE)));
    }

    /**
     * An adjustment: positive adds a block (source adjustment), negative takes from the blocks in spending order.
     */
    @Schema(name = "CreditAdjustmentRequest")
    record AdjustmentRequest(
            @NotNull BigDecimal amount,
            @NotBlank @Size(max = 1000) String reason) {}

    /** An adjustment made. */
    @Schema(name = "CreditAdjustment")
    record AdjustmentView(UUID transactionId, UUID org, BigDecimal amount, BigDecimal available) {}

    @Operation(
            operationId = "adjustCredits",
            summary = "Adjust an organization's credits up or down, with a reason (admins)",
            description = "A negative adjustment never takes the balance below zero: 402 insufficient_credits when"
                    + " the spendable blocks do not cover it.")
    @PostMapping(
            path = "/api/v1/admin/orgs/{org}/credits/adjustments",
            consumes = "application/json",
            produces = "application/json")
    @ResponseStatus(HttpStatus.CREATED)
    AdjustmentView adjust(@PathVariable UUID org, @Valid @RequestBody AdjustmentRequest body) {
        if (!organizations.exists(org)) throw CreditFailures.orgNotFound();
        long amount = amount(body.amount());
        if (amount == 0) throw CreditFailures.invalidField("amount", "must not be zero");
        UUID actor = CallerAuthentication.current().userId();
        Instant now = clock.instant();
        UUID tx = amount > 0
                ? grants.grant(
                                new Grants.Grant(
                                        org,
                                        BlockSource.ADJUSTMENT,
                                        amount,
                                        200,
                                        null,
                                        null,
                                        null,
                                        actor,
                                        body.reason(),
                                        RequestIds.current()),
                                now)
                        .transaction()
                : grants.debitAdjustment(org, -amount, actor, body.reason(), RequestIds.current(), now);
        return new AdjustmentView(tx, org, Micros.pt(amount), Micros.pt(ledger.balance(org, Account.AVAILABLE)));
    }

    @Operation(
            operationId = "getAdminOrgCredits",
            summary = "Any organization's credits, as GET /api/v1/orgs/{org}/credits shows them (admins)")
    @GetMapping(path = "/api/v1/admin/orgs/{org}/credits", produces = "application/json")
    CreditController.BalanceView balance(@PathVariable UUID org, @RequestParam(defaultValue = "false") boolean all) {
        if (!organizations.exists(org)) throw CreditFailures.orgNotFound();
        return CreditController.balanceOf(org, all, statements, subscriptions, settings, warnings);
    }

    @Operation(
            operationId = "listAdminOrgCreditEntries",
            summary = "Any organization's credit entries, newest first (admins)")
    @GetMapping(path = "/api/v1/admin/orgs/{org}/credits/entries", produces = "application/json")
    CreditController.EntryPage entries(
            @PathVariable UUID org,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
            @RequestParam(required = false) @Size(max = 200) @Nullable String cursor) {
        if (!organizations.exists(org)) throw CreditFailures.orgNotFound();
        return CreditController.entriesOf(org, limit, cursor, statements, json);
    }

    /** One cached balance that differs from its entries. */
    @Schema(name = "CreditDrift")
    record DriftView(
            String kind, UUID org, String account, @Nullable UUID block, BigDecimal cached, BigDecimal derived) {}

    /** A drift check's result. */
    @Schema(name = "CreditDriftReport")
    record DriftReport(UUID id, Instant checkedAt, int accounts, int blocks, List<DriftView> drifts) {}

    @Operation(
            operationId = "checkCreditDrift",
            summary = "Recompute every cached credit balance from the entries and report any drift (admins)",
            description = "The daily job runs the same check. Drift is reported, never corrected silently: entries"
                    + " are the truth.")
    @PostMapping(path = "/api/v1/admin/ledger/drift-check", produces = "application/json")
    DriftReport driftCheck() {
        Drift.Report r = drift.check(clock.instant());
        return new DriftReport(
                r.id(),
                r.checkedAt(),
                r.accounts(),
                r.blocks(),
                r.drifts().stream()
                        .map(d -> new DriftView(
                                d.kind(),
                                d.org(),
                                d.account(),
                                d.block(),
                                Micros.pt(d.cached()),
                                Micros.pt(d.derived())))
                        .toList());
    }

    private static long amount(BigDecimal pt) {
        try {
            long micros = Micros.of(pt);
            if (Math.abs(micros) > Micros.MAX) throw new ArithmeticException("too large");
            return micros;
        } catch (ArithmeticException e) {
            throw CreditFailures.invalidField("amount", "at most six decimal places and 10^12 PT");
        }
    }
}
