package dev.gatehouse.organization;

import static dev.gatehouse.organization.OrgRole.ADMIN;
import static dev.gatehouse.organization.OrgRole.BILLING;
import static dev.gatehouse.organization.OrgRole.MEMBER;
import static dev.gatehouse.organization.OrgRole.OWNER;

import java.util.EnumSet;
import java.util.Set;

/**
 * What each org role may do: the one table every organization route checks, and that docs/permissions.md
 * shows (a test keeps the two equal). Rules that depend on the target as well as the caller are rows too:
 * touching an owner (granting or taking away the owner role, removing an owner) needs
 * {@link #MEMBERS_MANAGE_OWNERS} on top of the action's own permission.
 *
 * <p>Rows are read by other modules too, through {@link OrganizationDirectory#roleOf} and {@link #permits}: the API key
 * module checks {@link #API_KEYS_READ} and {@link #API_KEYS_MANAGE}.
 *
 * <p>Non-members are not in the table: to them every organization route answers 404, so an organization's
 * existence is never revealed. A member without the permission gets 403 {@code forbidden}.
 */
public enum OrgPermission {
    ORG_READ("org.read", "see the organization", OWNER, ADMIN, BILLING, MEMBER),
    ORG_UPDATE("org.update", "rename the organization", OWNER, ADMIN),
    ORG_DELETE("org.delete", "delete the organization", OWNER),
    MEMBERS_READ("members.read", "list members", OWNER, ADMIN, BILLING, MEMBER),
    MEMBERS_INVITE("members.invite", "invite by email; list and revoke open invitations", OWNER, ADMIN),
    MEMBERS_CHANGE_ROLE("members.change_role", "change a member's role", OWNER, ADMIN),
    MEMBERS_MANAGE_OWNERS(
            "members.manage_owners",
            "grant or take away the owner role; remove an owner; invite as owner or revoke such an invitation",
            OWNER),
    MEMBERS_REMOVE("members.remove", "remove another member", OWNER, ADMIN),
    MEMBERS_LEAVE("members.leave", "leave the organization (remove yourself)", OWNER, ADMIN, BILLING, MEMBER),
    OWNERSHIP_TRANSFER("ownership.transfer", "hand ownership to a member and become admin", OWNER),
    BILLING_MANAGE("billing.manage", "manage plan, payment and credits (for the billing module)", OWNER, BILLING),
    API_KEYS_READ(
            "api_keys.read", "list the organization's API keys (never their secrets)", OWNER, ADMIN, BILLING, MEMBER),
    API_KEYS_MANAGE("api_keys.manage", "create and revoke API keys", OWNER, ADMIN);

    private final String key;
    private final String description;
    private final Set<OrgRole> allowed;

    OrgPermission(String key, String description, OrgRole first, OrgRole... rest) {
        this.key = key;
        this.description = description;
        this.allowed = EnumSet.of(first, rest);
    }

    /** The stable name, e.g. {@code members.invite}. */
    public String key() {
        return key;
    }

    public String description() {
        return description;
    }

    /** The roles that have this permission (an unmodifiable copy). */
    public Set<OrgRole> allowed() {
        return Set.copyOf(allowed);
    }

    public boolean permits(OrgRole role) {
        return allowed.contains(role);
    }
}
