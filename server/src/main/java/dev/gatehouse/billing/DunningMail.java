package dev.gatehouse.billing;

import dev.gatehouse.identity.UserDirectory;
import dev.gatehouse.identity.UserSummary;
import dev.gatehouse.notification.Email;
import dev.gatehouse.notification.Mailer;
import dev.gatehouse.organization.OrgRole;
import dev.gatehouse.organization.OrganizationDirectory;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The dunning emails, one per step, to the organization's owners and billing members (active, verified), in their
 * languages. Sent through the outbox in the transaction that takes the step, so a step and its email commit
 * together: no step without its email, no email twice.
 */
@Component
class DunningMail {

    /** The templates (notification module's {@code mail/}), by step. */
    enum Step {
        PAST_DUE("billing-past-due"),
        GRACE("billing-grace"),
        SUSPENDED("billing-suspended"),
        RECOVERED("billing-recovered");

        final String template;

        Step(String template) {
            this.template = template;
        }
    }

    private static final Set<OrgRole> RECIPIENTS = Set.of(OrgRole.OWNER, OrgRole.BILLING);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final OrganizationDirectory organizations;
    private final UserDirectory users;
    private final Mailer mailer;

    DunningMail(OrganizationDirectory organizations, UserDirectory users, Mailer mailer) {
        this.organizations = organizations;
        this.users = users;
        this.mailer = mailer;
    }

    /**
     * Emails the step.
     *
     * @param until when the next step comes (the end of the grace period; for the past-due step, its start)
     */
    void send(UUID orgId, Step step, Instant until) {
        String orgName = organizations.name(orgId).orElse(null);
        if (orgName == null) return; // deleted: nobody to tell
        List<UUID> recipients = organizations.membersWithRole(orgId, RECIPIENTS);
        for (UserSummary user : users.byIds(recipients)) {
            if (!user.active() || !user.emailVerified()) continue;
            mailer.send(new Email(
                    user.email(),
                    step.template,
                    Locale.forLanguageTag(user.locale()),
                    Map.of("name", user.name(), "org_name", orgName, "date", DAY.format(until))));
        }
    }
}
