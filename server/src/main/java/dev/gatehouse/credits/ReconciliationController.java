package dev.gatehouse.credits;

import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Reconciliation of the credits ledger against a provider's usage: imports, their progress, and reports. */
@RestController
@Validated
@RequiresPermission(Permission.CREDITS_MANAGE)
class ReconciliationController {

    static final String CSV = "text/csv";

    private final Reconciliations reconciliations;
    private final ReconciliationSettings settings;
    private final Clock clock;

    ReconciliationController(Reconciliations reconciliations, ReconciliationSettings settings, Clock clock) {
        this.reconciliations = reconciliations;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * A reconciliation: its import and the progress of its comparison.
     *
     * @param state queued, running, completed or failed
     * @param groupsTotal how many (day, model, organization) groups the comparison has (known once it runs)
     * @param groupsDone how many of them are compared and recorded
     * @param discrepancies how many groups differ beyond the tolerance (completed only)
     * @param jobId the background job (also at GET /api/v1/jobs/{id})
     */
    @Schema(name = "CreditReconciliation")
    record ReconciliationView(
            UUID id,
            String provider,
            String format,
            String state,
            BigDecimal tolerancePercent,
            long toleranceTokens,
            LocalDate firstDay,
            LocalDate lastDay,
            int rows,
            int groupsTotal,
            int groupsDone,
            @Nullable Integer discrepancies,
            @Nullable UUID jobId,
            Instant createdAt,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,
            @Nullable String error) {

        static ReconciliationView of(Reconciliations.Reconciliation r) {
            return new ReconciliationView(
                    r.id(),
                    r.provider(),
                    r.format(),
                    r.state(),
                    r.tolerancePercent().stripTrailingZeros().scale() < 0
                            ? r.tolerancePercent().setScale(0)
                            : r.tolerancePercent().stripTrailingZeros(),
                    r.toleranceTokens(),
                    r.firstDay(),
                    r.lastDay(),
                    r.rows(),
                    r.groupsTotal(),
                    r.groupsDone(),
                    r.discrepancies(),
                    r.job(),
                    r.createdAt(),
                    r.startedAt(),
                    r.finishedAt(),
                    r.error());
        }
    }

    @Operation(
            operationId = "importProviderUsage",
            summary = "Import a provider's usage (CSV or JSON) and reconcile it with the ledger in the background"
                    + " (admins)",
            description = "The body is the file: text/csv with a header row, or application/json (an array of rows,"
                    + " or an object with a usage array). Each row has date, model, org (an organization id) or key"
                    + " (a provider key mapped in gatehouse.credits.reconciliation.provider-keys), tokens (or"
                    + " input_tokens and output_tokens) and cost. The whole file is checked first: a bad one gets 422"
                    + " invalid_usage_file listing the errors with their line numbers, and nothing is imported."
                    + " Otherwise 202: the rows are stored and a job compares them, per UTC day, model and"
                    + " organization, with the ledger's settles and debits; follow its progress at"
                    + " GET .../imports/{id}.")
    @PostMapping(
            path = "/api/v1/admin/reconciliation/imports",
            consumes = {CSV, MediaType.APPLICATION_JSON_VALUE},
            produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    ReconciliationView importUsage(
            @RequestHeader(HttpHeaders.CONTENT_TYPE) String contentType,
            @Parameter(description = "The provider's name, for the record")
                    @RequestParam(defaultValue = "provider")
                    @Pattern(regexp = "[A-Za-z0-9_.-]{1,100}")
                    String provider,
            @Parameter(description = "Overrides gatehouse.credits.reconciliation.tolerance-percent")
                    @RequestParam(name = "tolerance_percent", required = false)
                    @DecimalMin("0")
                    @DecimalMax("100")
                    @Nullable
                    BigDecimal tolerancePercent,
            @Parameter(description = "Overrides gatehouse.credits.reconciliation.tolerance-tokens")
                    @RequestParam(name = "tolerance_tokens", required = false)
                    @Min(0)
                    @Nullable
                    Long toleranceTokens,
            @RequestBody String body) {
        String format = contentType.toLowerCase(Locale.ROOT).startsWith(CSV) ? "csv" : "json";
        List<ProviderUsage.Row> rows;
        try {
            rows = ProviderUsage.parse(body, format, settings.providerKeys()::get, settings.maxRows());
        } catch (ProviderUsage.Invalid e) {
            throw CreditOpsFailures.invalidUsageFile(e.errors);
        }
        BigDecimal percent = tolerancePercent == null ? settings.tolerancePercent() : tolerancePercent;
        if (percent.scale() > 6) throw CreditFailures.invalidField("tolerance_percent", "at most six decimal places");
        return ReconciliationView.of(reconciliations.create(
                provider,
                format,
                rows,
                percent,
                toleranceTokens == null ? settings.toleranceTokens() : toleranceTokens,
                CallerAuthentication.current(),
                clock.instant()));
    }

    @Operation(
            operationId = "getReconciliationImport",
            summary = "A reconciliation import with the progress of its comparison (admins)")
    @GetMapping(path = "/api/v1/admin/reconciliation/imports/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ReconciliationView get(@PathVariable UUID id) {
        Reconciliations.Reconciliation r = reconciliations.find(id);
        if (r == null) throw CreditOpsFailures.reconciliationNotFound();
        return ReconciliationView.of(r);
    }

    @Schema(name = "CreditReconciliationPage")
    record ReconciliationPage(
            List<ReconciliationView> data, @Nullable String nextCursor) {}

    @Operation(operationId = "listReconciliationReports", summary = "Reconciliations, newest first (admins)")
    @GetMapping(path = "/api/v1/admin/reconciliation/reports", produces = MediaType.APPLICATION_JSON_VALUE)
    ReconciliationPage list(
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
            @RequestParam(required = false) @Size(max = 200) @Nullable String cursor) {
        Page<Reconciliations.Reconciliation> page =
                reconciliations.list(cursor == null || cursor.isEmpty() ? null : PageCursor.decode(cursor), limit);
        return new ReconciliationPage(
                page.items().stream().map(ReconciliationView::of).toList(), page.nextCursor());
    }

    /**
     * One compared group.
     *
     * @param difference provider tokens less ledger tokens
     * @param ledgerCredits what the ledger charged for the group (PT)
     * @param status match, mismatch, missing_in_ledger or missing_at_provider
     */
    @Schema(name = "CreditReconciliationGroup")
    record GroupView(
            LocalDate day,
            String model,
            UUID org,
            long providerTokens,
            BigDecimal providerCost,
            long ledgerTokens,
            long difference,
            BigDecimal ledgerCredits,
            String status) {

        static GroupView of(Reconciliations.Group g) {
            return new GroupView(
                    g.day(),
                    g.model(),
                    g.org(),
                    g.providerTokens(),
                    g.providerCost(),
                    g.ledgerTokens(),
                    g.difference(),
                    Micros.pt(g.ledgerCredits()),
                    g.status());
        }
    }

    /** A reconciliation's report: the discrepancies (or every group). */
    @Schema(name = "CreditReconciliationReport")
    record ReportView(ReconciliationView reconciliation, List<GroupView> groups) {}

    @Operation(
            operationId = "getReconciliationReport",
            summary = "A completed reconciliation's discrepancies, as JSON or CSV (admins)",
            description =
                    "Groups whose tokens differ beyond the tolerance (all groups with all=true), by day, model and"
                            + " organization. format=csv answers text/csv with a header row. 409"
                            + " reconciliation_not_completed until the comparison has completed.",
            responses =
                    @ApiResponse(
                            responseCode = "200",
                            content = {
                                @Content(
                                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                                        schema = @Schema(implementation = ReportView.class)),
                                @Content(mediaType = CSV, schema = @Schema(type = "string"))
                            }))
    @GetMapping(
            path = "/api/v1/admin/reconciliation/reports/{id}",
            produces = {MediaType.APPLICATION_JSON_VALUE, CSV})
    ResponseEntity<?> report(
            @PathVariable UUID id,
            @Parameter(description = "Every group, matches included") @RequestParam(defaultValue = "false") boolean all,
            @Parameter(description = "json (default) or csv")
                    @RequestParam(defaultValue = "json")
                    @Pattern(regexp = "json|csv")
                    String format) {
        Reconciliations.Reconciliation r = reconciliations.find(id);
        if (r == null) throw CreditOpsFailures.reconciliationNotFound();
        if (!r.state().equals("completed")) throw CreditOpsFailures.reportNotReady(r.state());
        List<GroupView> groups =
                reconciliations.groups(id, all).stream().map(GroupView::of).toList();
        if (format.equals("csv")) {
            StringBuilder out = new StringBuilder(
                    "day,model,org,provider_tokens,provider_cost,ledger_tokens,difference,ledger_credits,status\r\n");
            for (GroupView g : groups) {
                out.append(g.day())
                        .append(',')
                        .append(csv(g.model()))
                        .append(',')
                        .append(g.org())
                        .append(',')
                        .append(g.providerTokens())
                        .append(',')
                        .append(g.providerCost().toPlainString())
                        .append(',')
                        .append(g.ledgerTokens())
                        .append(',')
                        .append(g.difference())
                        .append(',')
                        .append(g.ledgerCredits().toPlainString())
                        .append(',')
                        .append(g.status())
                        .append("\r\n");
            }
            return ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType(CSV + ";charset=UTF-8"))
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"reconciliation-" + id + ".csv\"")
                    .body(out.toString());
        }
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .body(new ReportView(ReconciliationView.of(r), groups));
    }

    /** A CSV field, quoted when it must be; a leading formula character is defused for spreadsheets. */
    static String csv(String value) {
        String v = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
