package dev.gatehouse.organization;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Conversions between rows and this module's records, shared by its repositories. */
final class Rows {

    private Rows() {}

    static OrgRole role(ResultSet rs, String column) throws SQLException {
        return OrgRole.of(rs.getString(column));
    }
}
