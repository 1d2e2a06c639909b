package dev.gatehouse.audit;

import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The admin view of the audit log: search, export as JSON Lines, and verify the chain. */
@RequiresPermission(Permission.AUDIT_READ)
@RestController
class AuditController {

    static final String NDJSON = "application/x-ndjson";

    private static final Logger log = LoggerFactory.getLogger(AuditController.class);

    private final AuditEvents events;
    private final ChainVerifier verifier;
    private final AuditLog audit;
    private final TransactionTemplate transactions;

    AuditController(AuditEvents events, ChainVerifier verifier, AuditLog audit, TransactionTemplate transactions) {
        this.events = events;
        this.verifier = verifier;
        this.audit = audit;
        this.transactions = transactions;
    }

    record AuditPage(List<AuditEventView> data, @Nullable String nextCursor) {}

    @Operation(operationId = "searchAuditEvents", summary = "Search audit events, newest first, with cursor pagination")
    @GetMapping("/api/v1/admin/audit-events")
    AuditPage search(
            @RequestParam(required = false) @Nullable UUID actor,
            @RequestParam(required = false) @Nullable String action,
            @RequestParam(name = "target_type", required = false) @Nullable String targetType,
            @RequestParam(name = "target_id", required = false) @Nullable String targetId,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        AuditFilter filter = AuditFilter.of(actor, action, targetType, targetId, from, to);
        Long before = cursor == null || cursor.isEmpty()
                ? null
                : AuditCursor.decode(cursor).seq();
        Page<AuditEvent> page =
                Page.of(events.search(filter, before, limit + 1), limit, e -> new AuditCursor(e.seq()).encode());
        return new AuditPage(page.items().stream().map(AuditEventView::of).toList(), page.nextCursor());
    }

    @Operation(
            operationId = "exportAuditEvents",
            summary = "Export audit events as JSON Lines, oldest first, each line re-verifiable on its own",
            responses = @ApiResponse(responseCode = "200", content = @Content(mediaType = NDJSON)))
    @GetMapping("/api/v1/admin/audit-events/export")
    void export(
            @RequestParam(required = false) @Nullable UUID actor,
            @RequestParam(required = false) @Nullable String action,
            @RequestParam(name = "target_type", required = false) @Nullable String targetType,
            @RequestParam(name = "target_id", required = false) @Nullable String targetId,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            HttpServletResponse response)
            throws IOException {
        AuditFilter filter = AuditFilter.of(actor, action, targetType, targetId, from, to);
        Caller caller = CallerAuthentication.current();
        // The export is on record before a byte leaves, and it reaches up to its own event (the append
        // happens at commit): rows appended while it streams belong to the next export.
        transactions.executeWithoutResult(
                status -> audit.record(AuditEntry.by(caller, "audit.exported").detail("filters", filter.asDetails())));
        long through = events.head().seq();
        response.setContentType(NDJSON);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Content-Disposition", "attachment; filename=\"audit-events.jsonl\"");
        Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
        long after = 0;
        try {
            while (true) {
                List<AuditEvent> batch = events.exportBatch(filter, after, through, ChainVerifier.BATCH);
                for (AuditEvent e : batch) {
                    out.write(e.exportLine());
                    out.write('\n');
                    after = e.seq();
                }
                if (batch.size() < ChainVerifier.BATCH) break;
                out.flush();
            }
            out.flush();
        } catch (IOException e) {
            // The client went away mid-stream; the response is already committed, so there is no one to tell.
            log.info("Audit export stopped after seq {}: {}", after, e.toString());
        }
    }

    @Operation(
            operationId = "verifyAuditChain",
            summary = "Recompute the whole hash chain and report the first broken link, if any")
    @PostMapping("/api/v1/admin/audit-events/verify")
    ChainVerifier.Verification verify() {
        Caller caller = CallerAuthentication.current();
        ChainVerifier.Verification result = verifier.verify();
        // Recorded in a transaction of its own after the walk: the walk's REPEATABLE READ snapshot cannot
        // take the chain lock (the head has moved since the snapshot whenever anyone appended meanwhile).
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("valid", result.valid());
        details.put("checked", result.checked());
        if (result.headHash() != null) details.put("head_hash", result.headHash());
        if (result.firstBroken() != null) {
            details.put("first_broken_seq", result.firstBroken().seq());
            details.put("reason", result.firstBroken().reason());
        }
        transactions.executeWithoutResult(
                status -> audit.record(AuditEntry.by(caller, "audit.verified").withDetails(details)));
        return result;
    }
}
