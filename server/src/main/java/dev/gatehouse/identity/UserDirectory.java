package dev.gatehouse.identity;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Read-only lookups of users for other modules; identity's tables stay its own. */
public interface UserDirectory {

    Optional<UserSummary> byId(UUID id);

    /** The user with this address; it is trimmed and lower-cased first, as addresses are stored. */
    Optional<UserSummary> byEmail(String email);

    /** The users among these ids that exist, in no particular order: one query for a page of them. */
    List<UserSummary> byIds(Collection<UUID> ids);

    /** Accounts by status, counted now. */
    UserCounts counts();
}
