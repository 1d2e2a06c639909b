package dev.gatehouse.credits;

import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.identity.UserDirectory;
import dev.gatehouse.identity.UserSummary;
import dev.gatehouse.notification.Email;
import dev.gatehouse.notification.Mailer;
import dev.gatehouse.organization.OrgRole;
import dev.gatehouse.organization.OrganizationDirectory;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Emails a low-balance warning to the organization's owners and billing members (active accounts with a verified
 * address), in their languages, as metering's usage alerts do. It runs after the credit call committed, in a
 * transaction of its own; the event publication registry redelivers it after a failure, and
 * {@code credit_warnings.emailed_at}, set in the transaction that queues the emails, keeps a redelivery from
 * emailing anyone twice.
 */
@Component
class LowBalanceMail {

    static final String TEMPLATE = "credits-low";

    private static final Set<OrgRole> RECIPIENTS = Set.of(OrgRole.OWNER, OrgRole.BILLING);

    private final JdbcClient db;
    private final OrganizationDirectory organizations;
    private final UserDirectory users;
    private final Mailer mailer;
    private final Clock clock;

    LowBalanceMail(
            JdbcClient db, OrganizationDirectory organizations, UserDirectory users, Mailer mailer, Clock clock) {
        this.db = db;
        this.organizations = organizations;
        this.users = users;
        this.mailer = mailer;
        this.clock = clock;
    }

    @ApplicationModuleListener
    void on(CreditBalanceLow warning) {
        boolean first = db.sql("""
                                update credit_warnings set emailed_at = :now
                                where org_id = :org and period_start = :start and threshold = :threshold
                                  and emailed_at is null
                                """)
                        .param("now", utc(clock.instant()))
                        .param("org", warning.orgId())
                        .param("start", utc(warning.periodStart()))
                        .param("threshold", Micros.of(warning.threshold()))
                        .update()
                == 1;
        if (!first) return;
        String orgName = organizations.name(warning.orgId()).orElse(null);
        if (orgName == null) return; // deleted since: nobody to tell
        List<UUID> recipients = organizations.membersWithRole(warning.orgId(), RECIPIENTS);
        for (UserSummary user : users.byIds(recipients)) {
            if (!user.active() || !user.emailVerified()) continue;
            mailer.send(new Email(
                    user.email(),
                    TEMPLATE,
                    Locale.forLanguageTag(user.locale()),
                    Map.of(
                            "name", user.name(),
                            "org_name", orgName,
                            "available", warning.available().toPlainString(),
                            "threshold", warning.threshold().toPlainString())));
        }
    }
}
