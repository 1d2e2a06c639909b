package dev.gatehouse.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import dev.gatehouse.support.TestAccounts;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Usage alerts over HTTP: at 80 % and 100 % of a limit, once per period, an email to the organization's owners
 * and billing members (not to its other members). The free plan allows 1,000 api_calls a day and 100 MB of
 * storage.
 */
class UsageAlertsTest extends MeteringEndToEndTest {

    private UUID teamWith(User owner, User billing, User member) {
        Http.Response created = http.post("/api/v1/orgs")
                .bearer(owner.token())
                .json("name", "Alerted")
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        UUID org = UUID.fromString(created.json().get("id").asString());
        join(owner, org, billing, "billing");
        join(owner, org, member, "member");
        return org;
    }

    private void join(User owner, UUID org, User who, String role) {
        int before = accounts.mailTo(who.email()).length;
        Http.Response invited = http.post("/api/v1/orgs/" + org + "/members")
                .bearer(owner.token())
                .json("email", who.email(), "role", role)
                .send();
        assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
        awaitMail(who.email(), before + 1);
        String token = accounts.awaitToken(who.email(), "accept-invitation");
        Http.Response accepted = http.post("/api/v1/invitations/" + token + "/accept")
                .bearer(who.token())
                .send();
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
    }

    private void awaitMail(String email, int count) {
        Poll.untilTrue(
                Duration.ofSeconds(20), count + " emails to " + email, () -> accounts.mailTo(email).length >= count);
    }

    private List<String> alertSubjects(String email) {
        return Arrays.stream(accounts.mailTo(email))
                .map(UsageAlertsTest::subject)
                .filter(s -> s.contains("limit used"))
                .toList();
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void ownersAndBillingMembersAreEmailedAtEightyAndOneHundredPercentOncePerPeriod() {
        User owner = user("alert-owner");
        User billing = user("alert-billing");
        User member = user("alert-member");
        UUID org = teamWith(owner, billing, member);
        String service = serviceKey();

        consume(service, org, 799);
        consume(service, org, 1);
        Poll.untilTrue(
                Duration.ofSeconds(20),
                "the 80 % alert",
                () -> alertSubjects(owner.email()).size() == 1);
        Poll.untilTrue(
                Duration.ofSeconds(20),
                "the 80 % alert",
                () -> alertSubjects(billing.email()).size() == 1);
        assertThat(alertSubjects(owner.email()).getFirst()).isEqualTo("Alerted: 80% of the api_calls limit used");
        String text = TestAccounts.text(Arrays.stream(accounts.mailTo(billing.email()))
                .filter(m -> subject(m).contains("limit used"))
                .findFirst()
                .orElseThrow());
        assertThat(text).contains("800 of the 1000 api_calls").contains("per day");

        // Events count too: they take the organization to 100 %.
        List<java.util.Map<String, Object>> events = IntStream.range(0, 200)
                .mapToObj(i -> event("alert-" + i, org, "api_calls"))
                .toList();
        assertThat(sent(service, events).get("accepted").asInt()).isEqualTo(200);
        Poll.untilTrue(
                Duration.ofSeconds(20),
                "the 100 % alert",
                () -> alertSubjects(owner.email()).size() == 2);
        Poll.untilTrue(
                Duration.ofSeconds(20),
                "the 100 % alert",
                () -> alertSubjects(billing.email()).size() == 2);
        assertThat(alertSubjects(owner.email())).contains("Alerted: 100% of the api_calls limit used");

        // Usage past the limit (events are facts) fires nothing more this period.
        sent(service, List.of(event("alert-more", org, "api_calls")));
        assertThat(db.sql("select count(*) from usage_alerts where org_id = :org")
                        .param("org", org)
                        .query(Integer.class)
                        .single())
                .isEqualTo(2);
        Poll.untilTrue(
                Duration.ofSeconds(20),
                "both alerts emailed",
                () -> db.sql("select count(*) from usage_alerts where org_id = :org and emailed_at is not null")
                                .param("org", org)
                                .query(Integer.class)
                                .single()
                        == 2);
        assertThat(alertSubjects(owner.email())).hasSize(2);
        assertThat(alertSubjects(member.email()))
                .as("plain members are not emailed")
                .isEmpty();
    }

    @Test
    void aGaugeAlertsWhenItsValueReachesTheLimit() {
        User owner = user("alert-gauge");
        String service = serviceKey();
        sent(service, List.of(event("st-1", owner.org(), "storage_mb", "value", 30)));
        sent(service, List.of(event("st-2", owner.org(), "storage_mb", "value", 85)));
        Poll.untilTrue(
                Duration.ofSeconds(20),
                "the 80 % alert",
                () -> alertSubjects(owner.email()).size() == 1);
        sent(service, List.of(event("st-3", owner.org(), "storage_mb", "value", 10)));
        sent(service, List.of(event("st-4", owner.org(), "storage_mb", "value", 90)));
        assertThat(db.sql("select threshold from usage_alerts where org_id = :org")
                        .param("org", owner.org())
                        .query(Integer.class)
                        .list())
                .containsExactly(80);
    }

    private void consume(String service, UUID org, long amount) {
        Http.Response r = http.post(CONSUME)
                .bearer(service)
                .json("org", org.toString(), "meter", "api_calls", "amount", amount)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }
}
