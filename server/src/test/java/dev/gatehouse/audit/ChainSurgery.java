package dev.gatehouse.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Changes the audit tables the way an intruder with database access would: the append-only triggers are
 * disabled, the statements run, and the triggers are enabled again, all in one transaction on its own
 * connection. DDL is transactional in PostgreSQL and ALTER TABLE holds an exclusive lock until commit, so no
 * other session ever sees the triggers off. Only the tables' owner can do this (Gatehouse's database user).
 */
final class ChainSurgery {

    private final DataSource dataSource;

    ChainSurgery(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void run(String... statements) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // The head first, the way writers lock: head row, then the events table.
                s.execute("alter table audit_chain_head disable trigger user");
                s.execute("alter table audit_events disable trigger user");
                for (String sql : statements) s.execute(sql);
                s.execute("alter table audit_events enable trigger user");
                s.execute("alter table audit_chain_head enable trigger user");
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Empties the chain, back to seq 0 and the zero hash. Tests that tamper call it before and after, so that
     * each starts from known seqs and every other test in the shared database finds a valid chain.
     */
    void reset() {
        run("truncate audit_events", "update audit_chain_head set seq = 0, hash = '\\x" + "00".repeat(32) + "'");
    }
}
