package dev.gatehouse.credits;

import dev.gatehouse.organization.OrgPermission;
import dev.gatehouse.organization.OrganizationDirectory;
import dev.gatehouse.organization.PermissionDenied;
import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequestIds;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
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

/** Credit disputes: members open and follow theirs, admins work the queue and refund or reject. */
@RestController
@Validated
class DisputeController {

    static final String STATES = "open|refunded|rejected";

    private final Disputes disputes;
    private final OrganizationDirectory organizations;
    private final Clock clock;

    DisputeController(Disputes disputes, OrganizationDirectory organizations, Clock clock) {
        this.disputes = disputes;
        this.organizations = organizations;
        this.clock = clock;
    }

    /**
     * A dispute to open: of a transaction, named by its id or by one of its entries' ids (from the entries list).
     *
     * @param reason why the charge is wrong, for the admins who review it
     */
    @Schema(name = "CreditDisputeRequest")
    record OpenRequest(
            @Nullable UUID transactionId,
            @Nullable UUID entryId,
            @NotBlank @Size(max = 1000) String reason) {}

    /**
     * A dispute as both sides see it.
     *
     * @param kind the disputed transaction's kind (settle, debit, ...)
     * @param amount what is disputed: what the transaction took, less earlier refunds of it (PT)
     * @param state open, refunded or rejected
     * @param note the admin's note (a rejection's reason)
     * @param refundAmount what the refund gave back (refunded only)
     * @param refundTransactionId the compensating refund transaction (refunded only)
     */
    @Schema(name = "CreditDispute")
    record DisputeView(
            UUID id,
            UUID org,
            UUID transactionId,
            @Nullable UUID entryId,
            String kind,
            BigDecimal amount,
            String reason,
            UUID openedBy,
            Instant openedAt,
            String state,
            @Nullable UUID resolvedBy,
            @Nullable Instant resolvedAt,
            @Nullable String note,
            @Nullable BigDecimal refundAmount,
            @Nullable UUID refundTransactionId) {

        static DisputeView of(Disputes.Dispute d) {
            return new DisputeView(
                    d.id(),
                    d.org(),
                    d.transaction(),
                    d.entry(),
                    d.kind().wire(),
                    Micros.pt(d.amount()),
                    d.reason(),
                    d.openedBy(),
                    d.openedAt(),
                    d.state().wire(),
                    d.resolvedBy(),
                    d.resolvedAt(),
                    d.note(),
                    d.refundAmount() == null ? null : Micros.pt(d.refundAmount()),
                    d.refundTransaction());
        }
    }

    @Schema(name = "CreditDisputePage")
    record DisputePage(List<DisputeView> data, @Nullable String nextCursor) {

        static DisputePage of(Page<Disputes.Dispute> page) {
            return new DisputePage(page.items().stream().map(DisputeView::of).toList(), page.nextCursor());
        }
    }

    // ---- members

    @Operation(
            operationId = "openCreditDispute",
            summary = "Dispute a charge of the organization's credits (members)",
            description = "Names the transaction (or one of its entries) and why. An admin refunds it or rejects it;"
                    + " the dispute shows the outcome. 404 for a transaction that is not the organization's, 422"
                    + " not_disputable for one that took no credits, 409 dispute_already_open while another dispute"
                    + " of the transaction is open. Idempotency-Key as on every POST.")
    @RequiresPermission(Permission.SIGNED_IN)
    @PostMapping(
            path = "/api/v1/orgs/{org}/credits/disputes",
            consumes = "application/json",
            produces = "application/json")
    @ResponseStatus(HttpStatus.CREATED)
    DisputeView open(@PathVariable UUID org, @Valid @RequestBody OpenRequest body) {
        Caller caller = requireMember(org);
        if (body.transactionId() == null && body.entryId() == null) {
            throw CreditFailures.invalidField("transaction_id", "name a transaction or an entry");
        }
        return DisputeView.of(
                disputes.open(org, body.transactionId(), body.entryId(), body.reason(), caller, clock.instant()));
    }

    @Operation(
            operationId = "listOrgCreditDisputes",
            summary = "The organization's credit disputes with their status, newest first (members)")
    @RequiresPermission(Permission.SIGNED_IN)
    @GetMapping(path = "/api/v1/orgs/{org}/credits/disputes", produces = "application/json")
    DisputePage list(
            @PathVariable UUID org,
            @Parameter(description = "Only disputes in this state")
                    @RequestParam(required = false)
                    @Pattern(regexp = STATES)
                    @Nullable
                    String state,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
            @RequestParam(required = false) @Size(max = 200) @Nullable String cursor) {
        requireMember(org);
        return DisputePage.of(
                disputes.ofOrganization(org, state == null ? null : Disputes.State.of(state), cursor(cursor), limit));
    }

    @Operation(operationId = "getOrgCreditDispute", summary = "One of the organization's credit disputes (members)")
    @RequiresPermission(Permission.SIGNED_IN)
    @GetMapping(path = "/api/v1/orgs/{org}/credits/disputes/{id}", produces = "application/json")
    DisputeView get(@PathVariable UUID org, @PathVariable UUID id) {
        requireMember(org);
        Disputes.Dispute d = disputes.find(id);
        if (d == null || !d.org().equals(org)) throw CreditOpsFailures.disputeNotFound();
        return DisputeView.of(d);
    }

    // ---- admins

    @Operation(
            operationId = "listCreditDisputes",
            summary = "The dispute queue, oldest first: open disputes unless another state is asked for (admins)")
    @RequiresPermission(Permission.CREDITS_MANAGE)
    @GetMapping(path = "/api/v1/admin/disputes", produces = "application/json")
    DisputePage queue(
            @Parameter(description = "open (default), refunded, rejected, or all")
                    @RequestParam(defaultValue = "open")
                    @Pattern(regexp = STATES + "|all")
                    String state,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
            @RequestParam(required = false) @Size(max = 200) @Nullable String cursor) {
        return DisputePage.of(
                disputes.queue(state.equals("all") ? null : Disputes.State.of(state), cursor(cursor), limit));
    }

    @Operation(operationId = "getCreditDispute", summary = "One credit dispute (admins)")
    @RequiresPermission(Permission.CREDITS_MANAGE)
    @GetMapping(path = "/api/v1/admin/disputes/{id}", produces = "application/json")
    DisputeView getAny(@PathVariable UUID id) {
        Disputes.Dispute d = disputes.find(id);
        if (d == null) throw CreditOpsFailures.disputeNotFound();
        return DisputeView.of(d);
    }

    /**
     * A resolution.
     *
     * @param decision refund or reject
     * @param amount a refund's PT (up to six decimals); all that is disputed when absent
     * @param note why; required to reject, shown to the organization's members
     */
    @Schema(name = "CreditDisputeResolution")
    record ResolveRequest(
            @NotNull @Pattern(regexp = "refund|reject") String decision,

            @Nullable @Schema(minimum = "0", exclusiveMinimum = true)
            BigDecimal amount,

            @Nullable @Size(min = 1, max = 1000) String note) {}

    @Operation(
            operationId = "resolveCreditDispute",
            summary = "Refund or reject an open credit dispute (admins)",
            description = "A refund posts a compensating transaction (kind refund, from the refunds account) into a new"
                    + " refund block of the organization, referencing the disputed transaction; a rejection needs a"
                    + " note. Audited. Safe to repeat and to race: the same decision again answers the resolved"
                    + " dispute and changes nothing; another decision gets 409 dispute_already_resolved.")
    @RequiresPermission(Permission.CREDITS_MANAGE)
    @PostMapping(
            path = "/api/v1/admin/disputes/{id}/resolve",
            consumes = "application/json",
            produces = "application/json")
    DisputeView resolve(@PathVariable UUID id, @Valid @RequestBody ResolveRequest body) {
        Long amount = null;
        if (body.amount() != null) {
            try {
                amount = Micros.of(body.amount());
            } catch (ArithmeticException e) {
                throw CreditFailures.invalidField("amount", "at most six decimal places");
            }
        }
        Disputes.Decision decision =
                body.decision().equals("refund") ? Disputes.Decision.REFUND : Disputes.Decision.REJECT;
        if (decision == Disputes.Decision.REJECT && body.amount() != null) {
            throw CreditFailures.invalidField("amount", "a rejection refunds nothing");
        }
        return DisputeView.of(disputes.resolve(
                id,
                decision,
                amount,
                body.note(),
                CallerAuthentication.current(),
                RequestIds.current(),
                clock.instant()));
    }

    // ---- helpers

    /** The membership interceptor let only members in; the organization's own table decides what they may do. */
    private Caller requireMember(UUID org) {
        Caller caller = CallerAuthentication.current();
        var role = organizations.roleOf(org, caller.userId()).orElseThrow(CreditFailures::orgNotFound);
        if (!OrgPermission.ORG_READ.permits(role)) throw new PermissionDenied(OrgPermission.ORG_READ);
        return caller;
    }

    private static @Nullable PageCursor cursor(@Nullable String cursor) {
        return cursor == null || cursor.isEmpty() ? null : PageCursor.decode(cursor);
    }
}
