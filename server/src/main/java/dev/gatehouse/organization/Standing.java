package dev.gatehouse.organization;

/** A caller's membership of an organization they can see: where every organization route starts. */
record Standing(Org org, Member member) {

    /** The one place a route's permission is checked against {@link OrgPermission}'s table. */
    Standing require(OrgPermission permission) {
        if (!permission.permits(member.role())) throw new PermissionDenied(permission);
        return this;
    }

    OrgRole role() {
        return member.role();
    }
}
