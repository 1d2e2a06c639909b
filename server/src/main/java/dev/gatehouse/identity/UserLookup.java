package dev.gatehouse.identity;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@link UserDirectory} other modules read users through; never exposes password hashes or roles. */
@Component
class UserLookup implements UserDirectory {

    private final Users users;
    private final JdbcClient db;

    UserLookup(Users users, JdbcClient db) {
        this.users = users;
        this.db = db;
    }

    @Override
    public Optional<UserSummary> byId(UUID id) {
        return users.byId(id).map(UserLookup::summary);
    }

    @Override
    public Optional<UserSummary> byEmail(String email) {
        return users.byEmail(EmailAddress.normalize(email)).map(UserLookup::summary);
    }

    @Override
    public UserCounts counts() {
        long[] byStatus = new long[UserStatus.values().length];
        db.sql("select status, count(*) from users group by status").query(rs -> {
            byStatus[UserStatus.of(rs.getString(1)).ordinal()] = rs.getLong(2);
        });
        long active = byStatus[UserStatus.ACTIVE.ordinal()];
        long suspended = byStatus[UserStatus.SUSPENDED.ordinal()];
        return new UserCounts(active + suspended, active, suspended, byStatus[UserStatus.DELETED.ordinal()]);
    }

    @Override
    public List<UserSummary> byIds(Collection<UUID> ids) {
        if (ids.isEmpty()) return List.of();
        return db
                .sql("select * from users where id in (:ids)")
                .param("ids", List.copyOf(ids))
                .query(Users::map)
                .list()
                .stream()
                .map(UserLookup::summary)
                .toList();
    }

    private static UserSummary summary(User u) {
        return new UserSummary(u.id(), u.email(), u.verified(), u.name(), u.locale(), u.active());
    }
}
