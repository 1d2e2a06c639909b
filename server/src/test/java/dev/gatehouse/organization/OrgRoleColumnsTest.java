package dev.gatehouse.organization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.CheckConstraints;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The org roles are written once, as {@link OrgRole}; the check constraints on the two columns that hold one
 * back it, and this keeps them accepting exactly its values.
 */
class OrgRoleColumnsTest extends OrgEndToEndTest {

    @Test
    void everyOrgRoleColumnAcceptsExactlyTheEnumsValues() {
        Set<String> roles = Arrays.stream(OrgRole.values()).map(OrgRole::wire).collect(Collectors.toSet());
        assertThat(CheckConstraints.literals(db, "org_members", "org_members_role_check"))
                .isEqualTo(roles);
        assertThat(CheckConstraints.literals(db, "org_invitations", "org_invitations_role_check"))
                .isEqualTo(roles);
    }
}
