package dev.gatehouse.organization;

import java.sql.SQLException;
import java.util.function.Supplier;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs the module's writes in a transaction and turns the database's last-owner backstop into the API's
 * problem. The application checks the rule under the organization's row lock, so the trigger firing means
 * something raced past that check; the caller still gets 409 {@code last_owner}, not a 500.
 */
@Component
class OrgTransactions {

    /** The name the deferred constraint trigger in V7__organizations.sql reports. */
    static final String OWNER_CONSTRAINT = "org_keeps_an_owner";

    private final TransactionTemplate tx;

    OrgTransactions(TransactionTemplate tx) {
        this.tx = tx;
    }

    <T> T write(Supplier<T> work) {
        try {
            T result = tx.execute(status -> work.get());
            if (result == null) throw new IllegalStateException("a write must return a value");
            return result;
        } catch (DataAccessException | TransactionException e) {
            if (lostLastOwner(e)) throw OrgFailures.lastOwner();
            throw e;
        }
    }

    static boolean lostLastOwner(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql
                    && "23514".equals(sql.getSQLState())
                    && sql.getMessage() != null
                    && sql.getMessage().contains(OWNER_CONSTRAINT)) {
                return true;
            }
        }
        return false;
    }
}
