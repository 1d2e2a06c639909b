/** Transactional email: localized templates, an outbox delivered by jobs, SMTP or captured dev mail. */
@NullMarked
@ApplicationModule(displayName = "Notification")
package dev.gatehouse.notification;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
