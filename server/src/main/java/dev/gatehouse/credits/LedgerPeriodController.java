package dev.gatehouse.credits;

import dev.gatehouse.organization.OrganizationDirectory;
import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequestIds;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
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

/** The monthly close of the credits ledger: close a month, read its report, correct it in the open period. */
@RestController
@Validated
@RequiresPermission(Permission.CREDITS_MANAGE)
class LedgerPeriodController {

    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");

    private final LedgerPeriods periods;
    private final OrganizationDirectory organizations;
    private final Clock clock;

    LedgerPeriodController(LedgerPeriods periods, OrganizationDirectory organizations, Clock clock) {
        this.periods = periods;
        this.organizations = organizations;
        this.clock = clock;
    }

    /** An account's balances over a month (PT); per organization, or summed over them. */
    @Schema(name = "LedgerPeriodBalance")
    record BalanceView(
            @Nullable UUID org, String account, BigDecimal opening, BigDecimal activity, BigDecimal closing) {

        static BalanceView of(LedgerPeriods.Balance b, boolean withOrg) {
            return new BalanceView(
                    withOrg ? b.org() : null,
                    b.account(),
                    Micros.pt(b.opening()),
                    Micros.pt(b.activity()),
                    Micros.pt(b.closing()));
        }
    }

    /** How many transactions of a kind the month had, across how many organizations. */
    @Schema(name = "LedgerPeriodKind")
    record KindView(String kind, long transactions, long organizations) {}

    /**
     * A correction of the month, posted later in the open period.
     *
     * @param amount what it moved on the organization's available balance (PT)
     */
    @Schema(name = "LedgerPeriodCorrection")
    record CorrectionView(
            UUID transactionId,
            UUID org,
            BigDecimal amount,
            @Nullable String reason,
            Instant createdAt) {}

    /**
     * A closed month.
     *
     * @param period yyyy-mm (UTC)
     * @param closedNow whether this call closed it (false: it was closed already, and is shown as it is)
     * @param digest MD5 over the month's entries at close
     * @param unchanged whether the month's entries are still exactly those the close saw (recomputed now)
     * @param accounts the snapshot per account, summed over organizations
     * @param organization one organization's snapshot, when asked for with {@code org}
     */
    @Schema(name = "LedgerPeriodReport")
    record ReportView(
            String period,
            Instant startsAt,
            Instant endsAt,
            Instant closedAt,
            @Nullable UUID closedBy,
            @Nullable Boolean closedNow,
            long transactions,
            long entries,
            String digest,
            boolean unchanged,
            List<BalanceView> accounts,
            List<KindView> kinds,
            List<CorrectionView> corrections,
            @Nullable List<BalanceView> organization) {}

    @Operation(
            operationId = "closeLedgerPeriod",
            summary = "Close a month of the credits ledger: snapshot every balance and make the month immutable"
                    + " (admins)",
            description = "Months are UTC. Only a month that has ended can be closed (409 period_not_ended for the"
                    + " current or a future one). From then on the database refuses any entry dated before the end of"
                    + " the month; corrections are posted in the open period with POST"
                    + " .../periods/{period}/corrections. Closing a closed month answers its report (closed_now:"
                    + " false) and changes nothing. Audited.")
    @PostMapping(path = "/api/v1/admin/ledger/periods/{period}/close", produces = "application/json")
    ReportView close(@PathVariable @Parameter(description = "yyyy-mm") String period) {
        YearMonth month = month(period);
        LedgerPeriods.Closed closed = periods.close(month, CallerAuthentication.current(), clock.instant());
        return view(java.util.Objects.requireNonNull(periods.report(month, null)), closed.closedNow());
    }

    @Operation(
            operationId = "getLedgerPeriod",
            summary = "A closed month's report: its snapshot, activity by kind, later corrections, and whether its"
                    + " entries are unchanged (admins)",
            description = "404 period_not_closed for a month that is not closed.")
    @GetMapping(path = "/api/v1/admin/ledger/periods/{period}", produces = "application/json")
    ReportView report(
            @PathVariable @Parameter(description = "yyyy-mm") String period,
            @Parameter(description = "Also show this organization's snapshot") @RequestParam(required = false) @Nullable
                    UUID org) {
        YearMonth month = month(period);
        LedgerPeriods.Report report = periods.report(month, org);
        if (report == null) throw CreditOpsFailures.periodNotClosed(month.toString());
        return view(report, null);
    }

    /**
     * A correction of a closed month.
     *
     * @param amount PT: positive credits the organization (a new adjustment block), negative takes credits away
     */
    @Schema(name = "LedgerCorrectionRequest")
    record CorrectionRequest(
            @NotNull UUID org,
            @NotNull BigDecimal amount,
            @NotBlank @Size(max = 1000) String reason) {}

    @Operation(
            operationId = "correctLedgerPeriod",
            summary = "Correct a closed month: an adjustment posted now, in the open period, that names the closed"
                    + " month (admins)",
            description = "A transaction of kind correction between the organization and the adjustments account,"
                    + " listed in the closed month's report. A negative correction never takes the balance below"
                    + " zero (402 insufficient_credits). 404 period_not_closed when the month is not closed. Audited.")
    @PostMapping(
            path = "/api/v1/admin/ledger/periods/{period}/corrections",
            consumes = "application/json",
            produces = "application/json")
    @ResponseStatus(HttpStatus.CREATED)
    CorrectionView correct(
            @PathVariable @Parameter(description = "yyyy-mm") String period,
            @Valid @RequestBody CorrectionRequest body) {
        YearMonth month = month(period);
        if (!organizations.exists(body.org())) throw CreditFailures.orgNotFound();
        long amount;
        try {
            amount = Micros.of(body.amount());
        } catch (ArithmeticException e) {
            throw CreditFailures.invalidField("amount", "at most six decimal places and 10^12 PT");
        }
        if (amount == 0 || Math.abs(amount) > Micros.MAX) {
            throw CreditFailures.invalidField("amount", "must not be zero, and at most 10^12 PT");
        }
        Instant now = clock.instant();
        UUID tx = periods.correct(
                month, body.org(), amount, body.reason(), CallerAuthentication.current(), RequestIds.current(), now);
        return new CorrectionView(tx, body.org(), Micros.pt(amount), body.reason(), now);
    }

    private static ReportView view(LedgerPeriods.Report r, @Nullable Boolean closedNow) {
        LedgerPeriods.Period p = r.period();
        return new ReportView(
                p.month().toString(),
                p.startsAt(),
                p.endsAt(),
                p.closedAt(),
                p.closedBy(),
                closedNow,
                p.transactions(),
                p.entries(),
                p.digest(),
                r.unchanged(),
                r.accounts().stream().map(b -> BalanceView.of(b, false)).toList(),
                r.kinds().stream()
                        .map(k -> new KindView(k.kind(), k.transactions(), k.organizations()))
                        .toList(),
                r.corrections().stream()
                        .map(c -> new CorrectionView(
                                c.transaction(), c.org(), Micros.pt(c.amount()), c.reason(), c.createdAt()))
                        .toList(),
                r.organization() == null
                        ? null
                        : r.organization().stream()
                                .map(b -> BalanceView.of(b, true))
                                .toList());
    }

    static YearMonth month(String period) {
        if (!MONTH.matcher(period).matches()) throw CreditOpsFailures.invalidPeriod();
        try {
            return YearMonth.parse(period);
        } catch (DateTimeParseException e) {
            throw CreditOpsFailures.invalidPeriod();
        }
    }
}
