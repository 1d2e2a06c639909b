package dev.gatehouse.platform;

import static dev.gatehouse.platform.PlatformRole.ADMIN;
import static dev.gatehouse.platform.PlatformRole.ORG_KEY;
import static dev.gatehouse.platform.PlatformRole.SERVICE;
import static dev.gatehouse.platform.PlatformRole.SUPERADMIN;
import static dev.gatehouse.platform.PlatformRole.SUPPORT;
import static dev.gatehouse.platform.PlatformRole.USER;

import java.util.Set;

/**
 * The platform permission matrix: every HTTP endpoint declares one of these with {@link RequiresPermission},
 * and the platform roles that hold each one are listed here and nowhere else. {@code docs/permissions.md}
 * shows this table (a test keeps them equal), and a test walks it: every role without a permission gets
 * 403 on every endpoint that declares it.
 *
 * <p>Roles are {@link PlatformRole}'s. A service key ({@link PlatformRole#SERVICE}) holds only the permissions
 * that list it: the backend's ({@link #KEYS_VERIFY}, {@link #FLAGS_EVALUATE}, {@link #GATES_CHECK},
 * {@link #RATELIMIT_CHECK}, {@link #QUOTAS_CONSUME}, {@link #CREDITS_SPEND}), which only a service key holds, and {@link #ENTITLEMENTS_CHECK}, {@link #USAGE_READ}, {@link #CREDITS_READ}
 * and {@link #USAGE_WRITE}, which people or organizations' API keys hold too. So users and the backend stay apart
 * by the table itself: a new user route is closed to service keys without anyone having to remember it. A route
 * both may call (the entitlement check, an organization's usage) judges a person's access to the organization
 * itself. An organization's API key ({@link PlatformRole#ORG_KEY}) holds only {@link #USAGE_WRITE}, and the route
 * checks its scope and organization. What a user may do inside an organization is decided by the organization's
 * own table ({@code OrgPermission}) on top of {@link #SIGNED_IN}.
 */
public enum Permission {
    PUBLIC("public", "Anyone, signed in or not (sign-up, sign-in, discovery)"),
    SIGNED_IN(
            "signed_in",
            "Any signed-in person: their own account, and organizations as their org role allows",
            USER,
            SUPPORT,
            ADMIN,
            SUPERADMIN),
    USERS_READ("users.read", "Search users and read one user's account and sessions", SUPPORT, ADMIN, SUPERADMIN),
    LOCKOUTS_CLEAR("lockouts.clear", "Clear brute-force counters and lockouts", SUPPORT, ADMIN, SUPERADMIN),
    USERS_MANAGE("users.manage", "Suspend, activate and delete users, end their sessions", ADMIN, SUPERADMIN),
    USERS_IMPERSONATE("users.impersonate", "Act as a (non-admin) user with a short-lived token", ADMIN, SUPERADMIN),
    ROLES_MANAGE("roles.manage", "Change users' platform roles", SUPERADMIN),
    AUDIT_READ("audit.read", "Search, export and verify the audit log", ADMIN, SUPERADMIN),
    JOBS_MANAGE("jobs.manage", "List and retry background jobs, read any job", ADMIN, SUPERADMIN),
    MAIL_READ("mail.read", "Read captured email (embedded mode)", ADMIN, SUPERADMIN),
    SERVICE_KEYS_MANAGE("service_keys.manage", "Create, list, rotate and revoke service keys", ADMIN, SUPERADMIN),
    CATALOG_MANAGE("catalog.manage", "Reload the plan catalog; read and diff its stored versions", ADMIN, SUPERADMIN),
    SUBSCRIPTIONS_OVERRIDE(
            "subscriptions.override",
            "Set an organization's plan at once, whatever it costs, with a reason (audited)",
            ADMIN,
            SUPERADMIN),
    ENTITLEMENTS_CHECK(
            "entitlements.check",
            "Check an organization's feature: the product's backend for any organization, a person for their own",
            USER,
            SUPPORT,
            ADMIN,
            SUPERADMIN,
            SERVICE),
    KEYS_VERIFY("keys.verify", "Verify an API key (the product's backend, with a service key)", SERVICE),
    RATELIMIT_CHECK(
            "ratelimit.check", "Rate-limit the product's own routes through Gatehouse (with a service key)", SERVICE),
    RATELIMITS_CLEAR("ratelimits.clear", "Clear a subject's rate limits", SUPPORT, ADMIN, SUPERADMIN),
    FLAGS_MANAGE(
            "flags.manage",
            "Create, change, delete and import feature flags and segments; flip kill switches",
            ADMIN,
            SUPERADMIN),
    FLAGS_EVALUATE(
            "flags.evaluate",
            "Evaluate feature flags for a context and read the flag snapshot (the product's backend, with a service"
                    + " key)",
            SERVICE),
    GATES_CHECK(
            "gates.check",
            "Check a user's onboarding gate before a product action (the product's backend, with a service key)",
            SERVICE),
    ONBOARDING_MANAGE(
            "onboarding.manage",
            "Manage onboarding step definitions and migrate users to a new version",
            ADMIN,
            SUPERADMIN),
    USAGE_WRITE(
            "usage.write",
            "Send usage events (the product's backend with a service key, or an org API key with the usage:write scope"
                    + " for its own organization)",
            SERVICE,
            ORG_KEY),
    QUOTAS_CONSUME(
            "quotas.consume", "Consume an organization's quota (the product's backend, with a service key)", SERVICE),
    USAGE_READ(
            "usage.read",
            "Read an organization's usage and entitlements: its members as their org role allows, and the product's"
                    + " backend",
            USER,
            SUPPORT,
            ADMIN,
            SUPERADMIN,
            SERVICE),
    CREDITS_READ(
            "credits.read",
            "Read an organization's credits (balance, blocks, entries) and estimate a call's price: its members as"
                    + " their org role allows, and the product's backend",
            USER,
            SUPPORT,
            ADMIN,
            SUPERADMIN,
            SERVICE),
    CREDITS_SPEND(
            "credits.spend",
            "Reserve, settle, release and debit an organization's credits (the product's backend, with a service key)",
            SERVICE),
    CREDITS_MANAGE(
            "credits.manage",
            "Grant and adjust any organization's credits with a reason (audited in the ledger); check the ledger for"
                    + " drift; resolve disputes, reconcile provider usage, close and correct ledger periods",
            ADMIN,
            SUPERADMIN),
    BILLING_REFUND("billing.refund", "Refund an organization's Stripe charges (audited)", ADMIN, SUPERADMIN),
    STATS_READ("stats.read", "Read platform statistics and any organization's usage", SUPPORT, ADMIN, SUPERADMIN),
    SIGNING_KEYS_ROTATE("signing_keys.rotate", "Rotate the JWT signing key now", SUPERADMIN);

    private final String key;
    private final String description;
    private final Set<PlatformRole> roles;

    Permission(String key, String description, PlatformRole... roles) {
        this.key = key;
        this.description = description;
        this.roles = Set.of(roles);
    }

    public String description() {
        return description;
    }

    /** The platform roles that hold it; empty for {@link #PUBLIC}, which needs no role at all. */
    public Set<PlatformRole> roles() {
        return roles;
    }

    /**
     * The permission a handler declares with {@link RequiresPermission} (on the method, else on its controller),
     * or null when it declares none.
     */
    public static @org.jspecify.annotations.Nullable Permission declaredBy(
            org.springframework.web.method.HandlerMethod method) {
        RequiresPermission declared = org.springframework.core.annotation.AnnotatedElementUtils.findMergedAnnotation(
                method.getMethod(), RequiresPermission.class);
        if (declared == null) {
            declared = org.springframework.core.annotation.AnnotatedElementUtils.findMergedAnnotation(
                    method.getBeanType(), RequiresPermission.class);
        }
        return declared == null ? null : declared.value();
    }

    public boolean grantedTo(Caller caller) {
        return this == PUBLIC || caller.roles().stream().anyMatch(roles::contains);
    }

    /** The name shown in docs and problems, e.g. {@code users.read}. */
    public String key() {
        return key;
    }
}
