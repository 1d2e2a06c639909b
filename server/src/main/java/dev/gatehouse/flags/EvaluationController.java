package dev.gatehouse.flags;

import dev.gatehouse.catalog.Plan;
import dev.gatehouse.client.flags.Evaluation;
import dev.gatehouse.client.flags.FlagContext;
import dev.gatehouse.flags.FlagDocs.PayloadDoc;
import dev.gatehouse.platform.IgnoresIdempotencyKey;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import dev.gatehouse.subscription.SubscriptionDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Evaluation for the product's backend (service key): every flag for a context at once, answered from this
 * node's copy of the flags; and the snapshot a client evaluates locally from (the OpenFeature provider).
 */
@RequiresPermission(Permission.FLAGS_EVALUATE)
@RestController
class EvaluationController {

    private final FlagCache cache;
    private final SubscriptionDirectory subscriptions;

    EvaluationController(FlagCache cache, SubscriptionDirectory subscriptions) {
        this.cache = cache;
        this.subscriptions = subscriptions;
    }

    /**
     * The organization's plan from this node's memory (no query). An id that is no UUID or names no organization
     * has no plan, so plan constraints simply do not match, as for any context field that is absent.
     */
    private @Nullable String planOf(String orgId) {
        UUID id;
        try {
            id = UUID.fromString(orgId);
        } catch (IllegalArgumentException notAnOrganization) {
            return null;
        }
        return subscriptions.entitledPlan(id).map(Plan::key).orElse(null);
    }

    /**
     * The context: standard fields and properties. plan is the organization's plan key for plan targeting; when it
     * is absent and org_id names an organization, the plan that organization is entitled to now.
     */
    record ContextDoc(
            @Nullable @Size(max = 200) String userId,
            @Nullable @Size(max = 200) String orgId,
            @Nullable @Size(max = 200) String sessionId,
            @Nullable @Size(max = 100) String remoteAddress,
            @Nullable @Size(max = 100) String environment,
            @Nullable @Size(max = 100) String appName,

            @Schema(description = "ISO-8601 date-time with offset; now when absent") @Nullable @Size(max = 100)
            String currentTime,

            @Nullable @Size(max = 100) String plan,
            @Nullable @Size(max = 100) String country,
            @Nullable @Size(max = 100) String market,

            @Schema(description = "Any other fields, names as in constraints") @Nullable @Size(max = 100)
            Map<@Size(max = 100) String, @NotNull @Size(max = 1000) String> properties) {

        /** @param planOfOrg the plan key of an organization id, or null when it names none */
        FlagContext model(Function<String, @Nullable String> planOfOrg) {
            FlagContext.Builder b = FlagContext.builder();
            if (properties != null) properties.forEach(b::set);
            // standard members win over properties of the same name
            setIfPresent(b, FlagContext.USER_ID, userId);
            setIfPresent(b, FlagContext.ORG_ID, orgId);
            setIfPresent(b, FlagContext.SESSION_ID, sessionId);
            setIfPresent(b, FlagContext.REMOTE_ADDRESS, remoteAddress);
            setIfPresent(b, FlagContext.ENVIRONMENT, environment);
            setIfPresent(b, FlagContext.APP_NAME, appName);
            setIfPresent(b, FlagContext.CURRENT_TIME, currentTime);
            setIfPresent(b, FlagContext.PLAN, plan != null || orgId == null ? plan : planOfOrg.apply(orgId));
            setIfPresent(b, FlagContext.COUNTRY, country);
            setIfPresent(b, FlagContext.MARKET, market);
            return b.build();
        }
    }

    private static void setIfPresent(FlagContext.Builder b, String field, @Nullable String value) {
        if (value != null) b.set(field, value);
    }

    record EvaluateRequest(@NotNull @Valid ContextDoc context) {}

    record VariantView(
            String name, boolean enabled, @Nullable PayloadDoc payload) {}

    record FlagResult(boolean enabled, VariantView variant) {}

    /** @param flags every flag by key */
    record EvaluateResponse(Map<String, FlagResult> flags) {}

    @Operation(
            operationId = "evaluateFlags",
            summary = "Evaluate every flag for a context (service key)",
            description = "Answered from this node's copy of the flags (no database query); a change or a kill"
                    + " switch reaches every node within a second. A flag that is off has the variant"
                    + " {name: disabled, enabled: false}.")
    @IgnoresIdempotencyKey(IgnoresIdempotencyKey.Reason.READ_ONLY)
    @PostMapping(path = "/api/v1/flags/evaluate", consumes = "application/json", produces = "application/json")
    EvaluateResponse evaluate(@Valid @RequestBody EvaluateRequest body) {
        FlagContext context = body.context().model(this::planOf);
        var evaluations = cache.current().engine().evaluateAll(context);
        Map<String, FlagResult> flags = new LinkedHashMap<>(evaluations.size() * 2);
        for (Evaluation e : evaluations) {
            var v = e.variant();
            flags.put(
                    e.key(),
                    new FlagResult(
                            e.enabled(),
                            new VariantView(
                                    v.name(),
                                    v.enabled(),
                                    v.payload() == null
                                            ? null
                                            : new PayloadDoc(
                                                    v.payload().type(),
                                                    v.payload().value()))));
        }
        return new EvaluateResponse(flags);
    }

    @Operation(
            operationId = "getFlagSnapshot",
            summary = "Every flag, segment and kill switch in one document, for local evaluation (service key)",
            description = "The document of the client's SnapshotJson (docs/flags.md). Poll it with If-None-Match:"
                    + " 304 while nothing changed. version equals the ETag's value.",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description = "The snapshot",
                        content = @Content(mediaType = "application/json", schema = @Schema(type = "object"))),
                @ApiResponse(
                        responseCode = "304",
                        description = "Unchanged since the ETag sent in If-None-Match",
                        content = @Content)
            })
    @GetMapping(path = "/api/v1/flags/snapshot", produces = "application/json")
    ResponseEntity<byte[]> snapshot(
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) @Nullable String ifNoneMatch) {
        FlagCache.Loaded loaded = cache.current();
        String etag = "\"" + loaded.etag() + "\"";
        if (ifNoneMatch != null && (ifNoneMatch.equals(etag) || ifNoneMatch.equals("W/" + etag))) {
            return ResponseEntity.status(304)
                    .eTag(etag)
                    .cacheControl(CacheControl.noCache())
                    .build();
        }
        return ResponseEntity.ok()
                .eTag(etag)
                .cacheControl(CacheControl.noCache())
                .contentType(MediaType.APPLICATION_JSON)
                .body(loaded.document());
    }
}
