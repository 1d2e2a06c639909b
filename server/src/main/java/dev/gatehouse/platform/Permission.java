package dev.gatehouse.platform;

import java.util.Set;

/**
 * The platform permission matrix: every HTTP endpoint declares one of these with {@link RequiresPermission},
 * and the platform roles that hold each one are listed here and nowhere else. {@code docs/permissions.md}
 * shows this table (a test keeps them equal), and a test walks it: every role without a permission gets
 * 403 on every endpoint that declares it.
 *
 * <p>Roles: {@code user} (everyone signed in), {@code support}, {@code admin}, {@code superadmin}, and
 * {@code service} (the product's backend, signing in with a service key). A service key holds only
 * {@link #KEYS_VERIFY}, and only a service key holds it, so users and the backend stay apart by the table
 * itself: a new user route is closed to service keys without anyone having to remember it. What a user may do inside an
 * organization is decided by the organization's own table ({@code OrgPermission}) on top of
 * {@link #SIGNED_IN}.
 */
public enum Permission {
    PUBLIC("public", "Anyone, signed in or not (sign-up, sign-in, discovery)"),
    SIGNED_IN(
            "signed_in",
            "Any signed-in person: their own account, and organizations as their org role allows",
            "user",
            "support",
            "admin",
            "superadmin"),
    USERS_READ("users.read", "Search users and read one user's account and sessions", "support", "admin", "superadmin"),
    LOCKOUTS_CLEAR("lockouts.clear", "Clear brute-force counters and lockouts", "support", "admin", "superadmin"),
    USERS_MANAGE("users.manage", "Suspend and activate users, end their sessions", "admin", "superadmin"),
    USERS_IMPERSONATE("users.impersonate", "Act as a (non-admin) user with a short-lived token", "admin", "superadmin"),
    ROLES_MANAGE("roles.manage", "Change users' platform roles", "superadmin"),
    AUDIT_READ("audit.read", "Search, export and verify the audit log", "admin", "superadmin"),
    JOBS_MANAGE("jobs.manage", "List and retry background jobs, read any job", "admin", "superadmin"),
    MAIL_READ("mail.read", "Read captured email (embedded mode)", "admin", "superadmin"),
    SERVICE_KEYS_MANAGE("service_keys.manage", "Create, list, rotate and revoke service keys", "admin", "superadmin"),
    KEYS_VERIFY("keys.verify", "Verify an API key (the product's backend, with a service key)", "service"),
    SIGNING_KEYS_ROTATE("signing_keys.rotate", "Rotate the JWT signing key now", "superadmin");

    private final String key;
    private final String description;
    private final Set<String> roles;

    Permission(String key, String description, String... roles) {
        this.key = key;
        this.description = description;
        this.roles = Set.of(roles);
    }

    public String description() {
        return description;
    }

    /** The platform roles that hold it; empty for {@link #PUBLIC}, which needs no role at all. */
    public Set<String> roles() {
        return roles;
    }

    public boolean grantedTo(Caller caller) {
        return this == PUBLIC || caller.roles().stream().anyMatch(roles::contains);
    }

    /** The name shown in docs and problems, e.g. {@code users.read}. */
    public String key() {
        return key;
    }
}
