package dev.gatehouse.metering;

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
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Emails a usage alert to the organization's owners and billing members (active accounts with a verified
 * address), in their languages. An {@code @ApplicationModuleListener}: it runs after the usage write committed,
 * in a transaction of its own, so rendering and member lookups never hold the counter rows; the event
 * publication registry redelivers it after a failure or a crash, and {@code usage_alerts.emailed_at}, set in the
 * transaction that queues the emails, keeps a redelivery from emailing anyone twice.
 */
@Component
class UsageAlertMail {

    static final String TEMPLATE = "usage-alert";

    private static final Set<OrgRole> RECIPIENTS = Set.of(OrgRole.OWNER, OrgRole.BILLING);

    private final UsageAlerts alerts;
    private final OrganizationDirectory organizations;
    private final UserDirectory users;
    private final Mailer mailer;
    private final Clock clock;

    UsageAlertMail(
            UsageAlerts alerts, OrganizationDirectory organizations, UserDirectory users, Mailer mailer, Clock clock) {
        this.alerts = alerts;
        this.organizations = organizations;
        this.users = users;
        this.mailer = mailer;
        this.clock = clock;
    }

    @ApplicationModuleListener
    void on(UsageThresholdReached alert) {
        if (!alerts.markEmailed(alert, clock.instant())) return;
        String orgName = organizations.name(alert.orgId()).orElse(null);
        if (orgName == null) return; // deleted since: nobody to tell
        List<UUID> recipients = organizations.membersWithRole(alert.orgId(), RECIPIENTS);
        for (UserSummary user : users.byIds(recipients)) {
            if (!user.active() || !user.emailVerified()) continue;
            mailer.send(new Email(
                    user.email(),
                    TEMPLATE,
                    Locale.forLanguageTag(user.locale()),
                    Map.of(
                            "name", user.name(),
                            "org_name", orgName,
                            "meter", alert.meter(),
                            "percent", Integer.toString(alert.thresholdPercent()),
                            "used", alert.used().stripTrailingZeros().toPlainString(),
                            "limit", alert.limit().stripTrailingZeros().toPlainString(),
                            "period", alert.period().wire())));
        }
    }
}
