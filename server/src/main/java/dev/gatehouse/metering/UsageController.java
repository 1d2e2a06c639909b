package dev.gatehouse.metering;

import dev.gatehouse.catalog.Catalog;
import dev.gatehouse.catalog.CatalogVersion;
import dev.gatehouse.catalog.Meter;
import dev.gatehouse.catalog.Plan;
import dev.gatehouse.metering.UsageReports.Group;
import dev.gatehouse.metering.UsageReports.Series;
import dev.gatehouse.organization.OrgPermission;
import dev.gatehouse.organization.OrganizationDirectory;
import dev.gatehouse.organization.PermissionDenied;
import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.PlatformRole;
import dev.gatehouse.platform.RequiresPermission;
import dev.gatehouse.subscription.SubscriptionDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Usage events in (the product's backend), and an organization's usage and entitlements out (its members, the
 * backend, support and admins).
 */
@RestController
class UsageController {

    /** The scope an organization's API key needs to send usage events. */
    static final String USAGE_WRITE_SCOPE = "usage:write";

    private final UsageIngest ingest;
    private final UsageReports reports;
    private final EntitlementsReport entitlements;
    private final SubscriptionDirectory subscriptions;
    private final Catalog catalog;
    private final OrganizationDirectory organizations;
    private final Clock clock;

    UsageController(
            UsageIngest ingest,
            UsageReports reports,
            EntitlementsReport entitlements,
            SubscriptionDirectory subscriptions,
            Catalog catalog,
            OrganizationDirectory organizations,
            Clock clock) {
        this.ingest = ingest;
        this.reports = reports;
        this.entitlements = entitlements;
        this.subscriptions = subscriptions;
        this.catalog = catalog;
        this.organizations = organizations;
        this.clock = clock;
    }

    @Operation(
            operationId = "sendUsageEvents",
            summary =
                    "Send usage events: one, or a batch of up to 1,000 (service key, or an org API key with usage:write)",
            description = "Each event is judged on its own: accepted (stored and counted now), duplicate (its id was"
                    + " sent before for the organization, also by a concurrent batch; never counted twice) or"
                    + " rejected with a code and reason (unknown meter or organization, a timestamp older than the"
                    + " grace period, ...). The answer lists every event's result in the order sent and comes only"
                    + " after everything accepted is committed. A body that is not this shape is refused whole (400)."
                    + " An organization's API key needs the usage:write scope (403 otherwise) and may send events for"
                    + " its own organization only (others are rejected with org_not_allowed).")
    @RequiresPermission(Permission.USAGE_WRITE)
    @PostMapping(path = "/api/v1/usage/events", consumes = "application/json", produces = "application/json")
    UsageRequests.Answer send(@RequestBody UsageRequests.Ingest body) {
        Caller caller = CallerAuthentication.current();
        UUID only = null;
        if (caller.hasRole(PlatformRole.ORG_KEY)) {
            // An organization's API key sends its own organization's usage, and only with the scope for it.
            if (!caller.scopes().contains(USAGE_WRITE_SCOPE)) throw MeteringFailures.missingScope(USAGE_WRITE_SCOPE);
            only = caller.orgId();
        }
        return ingest.ingest(body.list(), only);
    }

    /**
     * An organization's usage over a range of days.
     *
     * @param group how the points are grouped
     */
    @Schema(name = "OrgUsage")
    record UsageView(UUID org, LocalDate from, LocalDate to, Group group, List<Series> meters) {}

    @Operation(
            operationId = "getOrgUsage",
            summary = "The organization's usage per meter over a range of UTC days (members; the product's backend)",
            description = "Each meter's figure by its aggregation (count, sum, max, latest, unique_count) over the"
                    + " whole range, and per day or month that had usage. Quota consumption counts toward count and"
                    + " sum meters. from and to are inclusive dates (YYYY-MM-DD), at most 366 days apart; by default"
                    + " the current month so far. Without meter, every meter of the catalog.")
    @RequiresPermission(Permission.USAGE_READ)
    @GetMapping(path = "/api/v1/orgs/{org}/usage", produces = "application/json")
    UsageView usage(
            @PathVariable UUID org,
            @RequestParam(required = false) @Nullable String meter,
            @Parameter(description = "First day (UTC), inclusive", schema = @Schema(format = "date"))
                    @RequestParam(required = false)
                    @Nullable
                    String from,
            @Parameter(description = "Last day (UTC), inclusive", schema = @Schema(format = "date"))
                    @RequestParam(required = false)
                    @Nullable
                    String to,
            @Parameter(description = "day, month or none") @RequestParam(defaultValue = "day") String group) {
        // The caller's access first: a person outside the organization learns nothing, not even that a date is bad.
        requireReader(org, CallerAuthentication.current());
        return report(org, meter, from, to, group);
    }

    @Operation(
            operationId = "listOrgEntitlements",
            summary = "Every feature and limit of the organization's plan, with current use (members; the product's"
                    + " backend)",
            description = "features: every feature of the catalog with allowed (whether the plan includes it)."
                    + " limits: every meter of the catalog, then seats and sessions, each with its period, limit"
                    + " (absent: unlimited), used in the current period, remaining and resets_at (absent for a"
                    + " standing limit). sessions is per member (scope user), so it has no organization-wide use."
                    + " Use is the same count quota consumption decides on.")
    @RequiresPermission(Permission.USAGE_READ)
    @GetMapping(path = "/api/v1/orgs/{org}/entitlements", produces = "application/json")
    EntitlementsReport.View entitlements(@PathVariable UUID org) {
        requireReader(org, CallerAuthentication.current());
        Plan plan = subscriptions.entitledPlan(org).orElseThrow(MeteringFailures::orgNotFound);
        return entitlements.of(org, plan, catalog.current(), clock.instant());
    }

    @Operation(
            operationId = "getAdminOrgUsage",
            summary = "Any organization's usage, as GET /api/v1/orgs/{org}/usage shows it (support, admins)")
    @RequiresPermission(Permission.STATS_READ)
    @GetMapping(path = "/api/v1/admin/orgs/{org}/usage", produces = "application/json")
    UsageView adminUsage(
            @PathVariable UUID org,
            @RequestParam(required = false) @Nullable String meter,
            @Parameter(schema = @Schema(format = "date")) @RequestParam(required = false) @Nullable String from,
            @Parameter(schema = @Schema(format = "date")) @RequestParam(required = false) @Nullable String to,
            @RequestParam(defaultValue = "day") String group) {
        if (!organizations.exists(org)) throw MeteringFailures.orgNotFound();
        return report(org, meter, from, to, group);
    }

    private UsageView report(
            UUID org, @Nullable String meter, @Nullable String from, @Nullable String to, String group) {
        Group grouping = Group.of(group);
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate last = to == null ? today : date("to", to);
        LocalDate first = from == null ? last.withDayOfMonth(1) : date("from", from);
        UsageReports.checkRange(first, last);
        CatalogVersion current = catalog.current();
        List<Meter> meters = meter == null
                ? List.copyOf(current.meters().values())
                : List.of(current.meter(meter).orElseThrow(() -> MeteringFailures.unknownMeter(meter)));
        List<Series> series = meters.stream()
                .map(m -> reports.series(org, m, first, last, grouping))
                .toList();
        return new UsageView(org, first, last, grouping, series);
    }

    private static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw MeteringFailures.invalidRange(name + " must be a date, YYYY-MM-DD.");
        }
    }

    /** Members see their organization's usage (org.read); the product's backend sees any organization's. */
    private void requireReader(UUID org, Caller caller) {
        if (caller.hasRole(PlatformRole.SERVICE)) {
            if (!organizations.exists(org)) throw MeteringFailures.orgNotFound();
            return;
        }
        var role = organizations.roleOf(org, caller.userId()).orElseThrow(MeteringFailures::orgNotFound);
        if (!OrgPermission.ORG_READ.permits(role)) throw new PermissionDenied(OrgPermission.ORG_READ);
    }
}
