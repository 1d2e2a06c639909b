package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;

/** An organization that is not deleted (deleted ones are never loaded). */
record Org(UUID id, String name, boolean personal, UUID createdBy, Instant createdAt, Instant updatedAt) {}
