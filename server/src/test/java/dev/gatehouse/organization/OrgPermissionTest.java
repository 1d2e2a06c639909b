package dev.gatehouse.organization;

import static dev.gatehouse.organization.OrgRole.ADMIN;
import static dev.gatehouse.organization.OrgRole.BILLING;
import static dev.gatehouse.organization.OrgRole.MEMBER;
import static dev.gatehouse.organization.OrgRole.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The permission table checked by hand, and its rendering in docs/permissions.md kept equal to it. */
class OrgPermissionTest {

    private static Set<OrgPermission> permissionsOf(OrgRole role) {
        return Arrays.stream(OrgPermission.values())
                .filter(p -> p.permits(role))
                .collect(Collectors.toSet());
    }

    @Test
    void theTableSaysWhatTheProductPromises() {
        assertThat(permissionsOf(OWNER)).containsExactlyInAnyOrder(OrgPermission.values());
        assertThat(permissionsOf(ADMIN))
                .containsExactlyInAnyOrder(
                        OrgPermission.ORG_READ,
                        OrgPermission.ORG_UPDATE,
                        OrgPermission.MEMBERS_READ,
                        OrgPermission.MEMBERS_INVITE,
                        OrgPermission.MEMBERS_CHANGE_ROLE,
                        OrgPermission.MEMBERS_REMOVE,
                        OrgPermission.MEMBERS_LEAVE,
                        OrgPermission.API_KEYS_READ,
                        OrgPermission.API_KEYS_MANAGE);
        assertThat(permissionsOf(BILLING))
                .containsExactlyInAnyOrder(
                        OrgPermission.ORG_READ,
                        OrgPermission.MEMBERS_READ,
                        OrgPermission.MEMBERS_LEAVE,
                        OrgPermission.BILLING_MANAGE,
                        OrgPermission.API_KEYS_READ);
        assertThat(permissionsOf(MEMBER))
                .containsExactlyInAnyOrder(
                        OrgPermission.ORG_READ,
                        OrgPermission.MEMBERS_READ,
                        OrgPermission.MEMBERS_LEAVE,
                        OrgPermission.API_KEYS_READ);
        assertThat(OrgPermission.ORG_DELETE.allowed()).containsExactly(OWNER);
        assertThat(OrgPermission.OWNERSHIP_TRANSFER.allowed()).containsExactly(OWNER);
        assertThat(OrgPermission.MEMBERS_MANAGE_OWNERS.allowed()).containsExactly(OWNER);
        assertThat(OrgPermission.BILLING_MANAGE.allowed()).containsExactlyInAnyOrder(OWNER, BILLING);
        assertThat(OrgPermission.API_KEYS_MANAGE.allowed()).containsExactlyInAnyOrder(OWNER, ADMIN);
        assertThat(OrgPermission.API_KEYS_READ.allowed()).containsExactlyInAnyOrder(OrgRole.values());
    }

    @Test
    void keysAreStableAndUnique() {
        assertThat(Arrays.stream(OrgPermission.values()).map(OrgPermission::key))
                .doesNotHaveDuplicates()
                .allMatch(k -> k.matches("[a-z][a-z_]*\\.[a-z_]+"))
                .contains(
                        "org.read",
                        "members.invite",
                        "ownership.transfer",
                        "billing.manage",
                        "api_keys.read",
                        "api_keys.manage");
    }

    @Test
    void rolesHaveLowerCaseWireNames() {
        assertThat(Arrays.stream(OrgRole.values()).map(OrgRole::wire))
                .containsExactly("owner", "admin", "billing", "member");
        assertThat(OrgRole.of("billing")).isEqualTo(BILLING);
        assertThatThrownBy(() -> OrgRole.of("OWNER"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Must be one of owner, admin, billing, member.");
    }

    /** The table as docs/permissions.md shows it. */
    static String markdown() {
        StringBuilder md = new StringBuilder("| permission | allows |");
        for (OrgRole role : OrgRole.values()) md.append(' ').append(role.wire()).append(" |");
        md.append("\n| --- | --- |");
        for (OrgRole ignored : OrgRole.values()) md.append(" :-: |");
        for (OrgPermission p : OrgPermission.values()) {
            md.append("\n| `")
                    .append(p.key())
                    .append("` | ")
                    .append(p.description())
                    .append(" |");
            for (OrgRole role : OrgRole.values()) md.append(p.permits(role) ? " ✓ |" : " |");
        }
        return md.append('\n').toString();
    }

    @Test
    void docsShowTheTableAsTheCodeHasIt() throws Exception {
        // Tests run in server/; the docs live beside it.
        String docs = Files.readString(Path.of("../docs/permissions.md"));
        assertThat(docs).as("docs/permissions.md must contain:%n%s", markdown()).contains(markdown());
    }
}
